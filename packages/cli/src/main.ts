import { catalogueLoaded, loadCatalogue } from '@marsad/db';
import { ensureAdminToken, FORMATS, loadDemo, loadDemoAccounts, SDMX_ML_VERSION_NAMES } from '@marsad/server';
import { Command, Option } from 'commander';
import { backupCommand, copyToCommand, restoreCommand } from './commands/backup.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { importRepoCommand } from './commands/import-repo.ts';
import { indicatorAddCommand } from './commands/indicators.ts';
import { withLocalStore } from './commands/local-store.ts';
import { mappingsDeleteCommand, mappingsListCommand, mappingsSaveCommand } from './commands/mappings.ts';
import { placesBoundariesCommand, placesImportCommand } from './commands/places.ts';
import { publishCommand } from './commands/publish.ts';
import { pullDhis2Command } from './commands/pull.ts';
import { type PullSdmxOptions, pullSdmxCommand } from './commands/pull-sdmx.ts';
import { reportCommand } from './commands/report.ts';
import {
  type SdmxExportCliOptions,
  sdmxCheckCommand,
  sdmxExportCommand,
  sdmxLoadConstraintsCommand,
  sdmxLoadStructureCommand,
} from './commands/sdmx.ts';
import { marsadVersion, serve } from './commands/serve.ts';
import { userCreateCommand } from './commands/users.ts';
import { readConfig } from './config.ts';
import { findRemote } from './remote.ts';

const config = (() => {
  try {
    return readConfig();
  } catch (err) {
    // A wrong setting (PORT, MARSAD_TRUST_PROXY, MARSAD_UPLOAD_*) is named in one line, without a stack trace.
    console.error(`marsad: ${(err as Error).message}`);
    process.exit(1);
  }
})();
const program = new Command('marsad')
  .description(
    'Marsad, an open urban observatory. Settings: MARSAD_DATA_DIR (default ./.marsad), DATABASE_URL (a PostgreSQL server), PORT, HOST, MARSAD_DEMO=1, MARSAD_TRUST_PROXY (reverse proxies trusted for X-Forwarded-For), MARSAD_UPLOAD_MAX_UNPACKED_BYTES, MARSAD_UPLOAD_MAX_ROWS and MARSAD_UPLOAD_MAX_PDF_MEMORY (upload limits), MARSAD_CACHE_MB (memory for public answers, default 64), MARSAD_CACHE_SETTLE_MS (while data changes faster than an answer is computed, how often at most it is computed again, default 1000), DATABASE_READ_URL (streaming replicas of the DATABASE_URL server for public reads), MARSAD_STATEMENT_TIMEOUT_S (on a PostgreSQL server, default 30), MARSAD_TOKEN (an API token for commands that go through a running server).',
  )
  .version(await marsadVersion());

const run =
  // biome-ignore lint/suspicious/noConfusingVoidType: a command returns its exit code, or nothing for 0
    <A extends unknown[]>(fn: (...args: A) => Promise<number | void>) =>
    async (...args: A) => {
      try {
        const code = await fn(...args);
        process.exitCode = typeof code === 'number' ? code : 0;
      } catch (err) {
        console.error(`marsad: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    };
const collect = (v: string, prev: string[] = []) => [...prev, v];

program
  .command('serve')
  .description('Serve Marsad (what npm start does)')
  .action(
    run(async () => {
      await serve(config);
    }),
  );

program
  .command('migrate')
  .description('Apply database migrations')
  .action(
    run(async () => {
      if (await findRemote(config.dataDir, config.databaseUrl))
        throw new Error('a running server holds the embedded database; it migrated it at start-up');
      await withLocalStore(config, async () => undefined);
      console.log('The database is up to date.');
    }),
  );

program
  .command('seed')
  .description('Load the reference catalogue, and with --demo the demonstration data')
  .option('--demo', 'also load the demonstration data')
  .action(
    run(async (o: { demo?: boolean }) => {
      if (await findRemote(config.dataDir, config.databaseUrl))
        throw new Error('a running server holds the embedded database; stop it first');
      await withLocalStore(config, async (store) => {
        if (!(await catalogueLoaded(store))) await loadCatalogue(store);
        if (o.demo) {
          const r = await loadDemo(store, (name, rep) =>
            console.log(`  ${name}: ${rep.counts.inserted} new, ${rep.counts.unchanged} unchanged`),
          );
          console.log(`Demonstration data: ${r.observations} new observations from ${r.files} files.`);
          console.log('Demonstration accounts (new passwords, shown this once):');
          for (const a of await loadDemoAccounts(store)) {
            console.log(
              `  ${a.email}  ${a.password}  ${a.roles.map((x) => (x.place ? `${x.role} of ${x.place}` : x.role)).join(', ')}`,
            );
          }
        }
        console.log('The reference catalogue is loaded.');
      });
    }),
  );

program
  .command('import')
  .description(
    'Import observations from a file, all or nothing, checked against the units of the series and the validation rules of the indicators (imported as provisional unless --status says otherwise)',
  )
  .argument('<file>')
  .addOption(new Option('-f, --format <format>', 'file format').choices([...FORMATS]).makeOptionMandatory())
  .option('--dry-run', 'check everything, write nothing')
  .addOption(
    new Option('--status <status>', 'status of rows that give none').choices(['provisional', 'validated', 'approved']),
  )
  .option('--indicator <code>', 'indicator of a file that names none (Open SDG)')
  .option(
    '--place <code>',
    'place of the rows that name none (Open SDG without GeoCode or REF_AREA); places named by name are looked for under it first, and new ones go under it (--create-places)',
  )
  .option(
    '--map <file|saved:NAME>',
    'JSON mapping of columns onto dimensions ({"columns": {"Sex": {"dimension": "SEX", "values": {"F.": "F"}}}}), or saved:NAME for a mapping saved with `marsad mappings save`; a dimension no list has yet is created',
  )
  .option(
    '--dhis2-mapping <file|saved:NAME>',
    'JSON mapping of DHIS2 data elements, org units and category option combos, or saved:NAME for a saved one',
  )
  .option('--skip-unmapped', 'DHIS2: skip (and list) the values of data elements and option combos the mapping lacks')
  .option('--create-indicators', 'create unknown indicators as local indicators')
  .option(
    '--new-series-for-units',
    "values in a unit other than their series' go to a series of the indicator in that unit (found or created) instead of being refused",
  )
  .option(
    '--create-places',
    'create the places rows name (REF_AREA, GeoCode or a name) that are unknown, under --place, named by the label beside the code (Region, Local authority); a places file sets parents, the data alone gives no hierarchy',
  )
  .option(
    '--extend-codes',
    'add the values a closed code list lacks (an age band Y18T24 or "15-24" of AGE) to that list, with their labels, instead of refusing them',
  )
  .option('--source <name>', 'source of rows that name none')
  .option('--json', 'print the full report as JSON')
  .action(run((file: string, o: Parameters<typeof importCommand>[2]) => importCommand(config, file, o)));

program
  .command('import-repo')
  .description(
    'Import a whole Open SDG data repository (data/, meta/, translations/, indicator-config/, geojsons/): each file all or nothing (or the whole with --all-or-nothing), the metadata onto the indicator pages, the boundaries it ships as the shapes of the places below --place; imported as provisional unless --status says otherwise',
  )
  .argument('<dir>', "the repository's folder")
  .option('--place <code>', 'the place the repository reports for (rows without GeoCode, and its metadata)')
  .option(
    '--publisher <name>',
    'who publishes it; its metadata is marked "<publisher> (Open SDG)" (default: the folder name)',
  )
  .option('--language <code>', 'language of metadata text that is not a translation key (default en)')
  .option('--all-or-nothing', 'write nothing unless every file imports')
  .option('--create-indicators', 'create unknown indicators as local indicators, named by their metadata')
  .option('--include-archived', 'also import the files of archived indicators (archived-…)')
  .option(
    '--no-boundaries',
    'leave the boundaries the repository ships (geojsons/*.geojson, regions.geojson); by default they become the shapes of the places they match',
  )
  .option('--create-places', 'create the places rows name that are unknown, under --place (as for import)')
  .option('--extend-codes', 'add the values a closed code list lacks (an age band), with their labels (as for import)')
  .option(
    '--new-series-for-units',
    "values in a unit other than their series' go to a series in that unit (as for import)",
  )
  .option('--dry-run', 'check everything, write nothing')
  .addOption(
    new Option('--status <status>', 'status of rows that give none').choices(['provisional', 'validated', 'approved']),
  )
  .option(
    '--map <file|saved:NAME>',
    'a column mapping for the data files (as for import): a JSON file, or saved:NAME for a saved one',
  )
  .option('--json', 'print the full report as JSON')
  .action(run((dir: string, o: Parameters<typeof importRepoCommand>[2]) => importRepoCommand(config, dir, o)));

program
  .command('export')
  .description('Export observations')
  .addOption(new Option('-f, --format <format>', 'file format').choices([...FORMATS]).default('csv'))
  .option('--indicator <codes>', 'indicator codes (repeat or comma-separate)', collect)
  .option('--place <codes>', 'place codes (repeat or comma-separate)', collect)
  .option('--subtree', 'include the places below the given places')
  .option('--from <period>', 'from this period (e.g. 2015)')
  .option('--to <period>', 'to this period (e.g. 2030)')
  .option('--status <statuses>', 'statuses (default: all)', collect)
  .option('-o, --out <file>', 'write to a file instead of standard output')
  .option(
    '--dhis2-mapping <file|saved:NAME>',
    'DHIS2: the mapping of data elements, org units and option combos (as for import), or saved:NAME for a saved one',
  )
  .option('--dhis2-data-set <uid>', 'DHIS2: the data set UID written at the top of the data value set')
  .option('--skip-unmapped', 'DHIS2: leave out the values the mapping cannot express instead of refusing the export')
  .addOption(
    new Option(
      '--sdmx-ml <version>',
      'SDMX-ML: 2.1 (structure-specific, the default), 2.1-generic or 3.0 (structure-specific)',
    ).choices([...SDMX_ML_VERSION_NAMES]),
  )
  .action(run((o: Parameters<typeof exportCommand>[1]) => exportCommand(config, o)));

const sdmx = program
  .command('sdmx')
  .description('SDMX structures for reporting to the UN: the global SDG data structure, its constraints, checks');
sdmx
  .command('load-structure')
  .description(
    'Load data structures (DSDs) and code lists from an SDMX-ML 2.1 structure message (a file or an http(s) URL): their breakdown dimensions become Marsad dimensions, with their labels in every language the message carries',
  )
  .argument('<file|url>')
  .action(run((f: string) => sdmxLoadStructureCommand(config, f)));
sdmx
  .command('load-constraints')
  .description(
    'Load the content constraints of a structure (a CSV such as sdmx_global_content_constraints.csv: the breakdown codes and units each series allows), replacing the ones loaded before',
  )
  .argument('<file|url>')
  .option('--structure <ref>', 'AGENCY:ID or AGENCY:ID(VERSION) (default IAEG-SDGs:SDG, its latest version loaded)')
  .action(run((f: string, o: { structure?: string }) => sdmxLoadConstraintsCommand(config, f, o)));
sdmx
  .command('check')
  .description(
    "What the UN would refuse: check a place's SDG data against a structure and its content constraints, each problem named by series, place, period, breakdown and rule (exit code 1 when there are problems)",
  )
  .requiredOption('--place <code>', 'the place (a country)')
  .option('--structure <ref>', 'AGENCY:ID or AGENCY:ID(VERSION) (default IAEG-SDGs:SDG)')
  .option('--json', 'print the full report as JSON')
  .action(run((o: { place: string; structure?: string; json?: boolean }) => sdmxCheckCommand(config, o)));
sdmx
  .command('export')
  .description(
    "Export a country's SDG data for the UN: SDMX-ML 2.1 structure-specific or SDMX-CSV 2.0 under the SDG data structure, only the values that pass the check (those left out are counted on stderr; --strict refuses instead)",
  )
  .requiredOption('--place <code>', 'the place (a country)')
  .option('--structure <ref>', 'AGENCY:ID or AGENCY:ID(VERSION) (default IAEG-SDGs:SDG, its latest version loaded)')
  .option('--format <format>', 'sdmx-ml or sdmx-csv', 'sdmx-ml')
  .option('--out <file>', 'write to this file (default: standard output)')
  .option('--strict', 'refuse the export when any value would be left out, listing the problems')
  .option('--status <status>', 'approved (default), or all (every status: provisional values get OBS_STATUS P)')
  .action(run((o: SdmxExportCliOptions) => sdmxExportCommand(config, o)));

const pull = program.command('pull').description('Read data from another system and import them');
pull
  .command('dhis2')
  .description(
    "Read a data value set from a DHIS2 server's Web API (GET /api/dataValueSets.json, personal access token) and import it through a DHIS2 mapping, all or nothing",
  )
  .requiredOption('--url <url>', "the DHIS2 server's base address, e.g. https://dhis2.example.org")
  .option('--token <token>', 'a DHIS2 personal access token (d2pat_…); or MARSAD_DHIS2_TOKEN')
  .option('--data-set <uid>', 'data set UID (repeat or comma-separate)', collect)
  .option('--period <period>', 'DHIS2 period, e.g. 202401, 2024Q1, 2024 (repeat or comma-separate)', collect)
  .option('--start-date <date>', 'instead of --period: from this date (YYYY-MM-DD)')
  .option('--end-date <date>', 'instead of --period: to this date (YYYY-MM-DD)')
  .option('--org-unit <uid>', 'organisation unit UID (repeat or comma-separate)', collect)
  .option('--children', 'the organisation units below the given ones too')
  .option(
    '--dhis2-mapping <file|saved:NAME>',
    'JSON mapping of DHIS2 data elements, org units and category option combos, or saved:NAME for a saved one',
  )
  .option('--skip-unmapped', 'skip (and list) the values of data elements and option combos the mapping lacks')
  .addOption(
    new Option('--status <status>', 'status of the values (default provisional)').choices([
      'provisional',
      'validated',
      'approved',
    ]),
  )
  .option('--dry-run', 'check everything, write nothing')
  .option('--timeout <seconds>', 'seconds to wait for DHIS2 to answer, and between two pieces of its answer', '60')
  .option('--json', 'print the full report as JSON')
  .action(run((o: Parameters<typeof pullDhis2Command>[1]) => pullDhis2Command(config, o)));
const pullSdmx = pull
  .command('sdmx')
  .description(
    "Read a data query of an SDMX REST service (https://…/rest/data/DATAFLOW/KEY?startPeriod=2015: the UN's SDG service, .Stat, Eurostat, the ILO…) and import the answer — SDMX-ML 2.1 or 3.0, SDMX-CSV 1.0 or 2.0 or SDMX-JSON, told by its Content-Type or its first bytes — as `marsad import` does: all or nothing, provisional unless --status says otherwise",
  )
  .argument('<url>', 'the data query (http or https; redirects are followed, at most 5)')
  .option(
    '--indicator <code>',
    'indicator of a message that names none (the global SDG structure names only SERIES: an unknown series is found or created under it)',
  )
  .addOption(
    new Option('-f, --format <format>', 'read the answer as this format, whatever its Content-Type says').choices([
      'sdmx-ml',
      'sdmx-csv',
      'sdmx-json',
    ]),
  )
  .option(
    '--header <Name: value>',
    "a request header, e.g. --header 'X-Api-Key: …' (repeat; or MARSAD_SDMX_HEADERS, one a line, which keeps them out of the process list); sent on redirects to the same host only",
    collect,
  )
  .option('--timeout <seconds>', 'seconds to wait to connect and for the answer, and between two pieces of it', '60')
  .option('--max-bytes <size>', 'the largest answer read, e.g. 500M (bytes, k, M, G)', '2G');
// The other options of `marsad import` (not its DHIS2 ones), as import has them.
for (const option of program.commands.find((c) => c.name() === 'import')?.options ?? []) {
  const name = option.attributeName();
  if (['format', 'dhis2Mapping', 'skipUnmapped'].includes(name)) continue;
  if (pullSdmx.options.some((mine) => mine.attributeName() === name)) continue;
  pullSdmx.addOption(option);
}
pullSdmx.action(run((url: string, o: PullSdmxOptions) => pullSdmxCommand(config, url, o)));

program
  .command('report')
  .description(
    'A report page as PDF, made by Chromium on the server (through a running server, or one started for the command): a page such as /programmes/SAFER-CITIES, /places/MAAGA, /places/MAR/report or /results/board-progress/2026-01-01/2026-12-31, or --cities for a city profile per city',
  )
  .argument(
    '[page]',
    'the page: /programmes/CODE, /places/CODE (a city profile), /places/COUNTRY/report, /results/success-indicators, /results/board-progress/FROM/TO (dates YYYY-MM-DD) or /reviews/published/ID',
  )
  .addOption(
    new Option('--lang <lang>', 'language of the report').choices(['ar', 'en', 'es', 'fr', 'ru', 'zh']).default('ar'),
  )
  .option('-o, --out <file>', 'the PDF file (default: marsad-<page>-<lang>.pdf)')
  .option('--cities', 'a city profile for every city (with --out-dir)')
  .option('--pilot', 'with --cities: the pilot cities only')
  .option('--out-dir <dir>', 'with --cities: the folder for the PDFs')
  .action(run((page: string | undefined, o: Parameters<typeof reportCommand>[2]) => reportCommand(config, page, o)));

const indicators = program.command('indicators').description('The indicator catalogue');
indicators
  .command('add')
  .description("Add a local indicator (a city's or a country's own)")
  .argument('<code>')
  .option('--name <lang=text>', 'name in a language, e.g. --name "ar=..." --name "en=..." (repeat)', collect)
  .option('--definition <lang=text>', 'definition in a language (repeat)', collect)
  .option('--unit <code>', 'unit code, e.g. PERCENT, PER_100000, NUMBER')
  .addOption(new Option('--direction <direction>', 'which way is better').choices(['higher', 'lower', 'none']))
  .option(
    '--framework <code[/group]>',
    'framework (and group) it belongs to, e.g. urban-safety/risk-factors (repeat)',
    collect,
  )
  .option('--owner <place>', 'the place whose own indicator this is')
  .option('--series <code>', 'series codes (repeat); default: one series named like the indicator', collect)
  .action(run((code: string, o: Parameters<typeof indicatorAddCommand>[2]) => indicatorAddCommand(config, code, o)));

const mappings = program
  .command('mappings')
  .description(
    'Saved import mappings (columns, DHIS2), kept per place: use one with --map saved:NAME or --dhis2-mapping saved:NAME (through a running server as the user of MARSAD_TOKEN)',
  );
mappings
  .command('list')
  .description('List the saved mappings: id, kind, place, name')
  .addOption(new Option('--kind <kind>', 'only this kind').choices(['columns', 'dhis2']))
  .option('--place <code>', 'only the mappings of this place and the places below it')
  .option('--json', 'print them as JSON')
  .action(run((o: Parameters<typeof mappingsListCommand>[1]) => mappingsListCommand(config, o)));
mappings
  .command('save')
  .description(
    'Save a mapping file under a name for a place (checked as an import checks it); the same name replaces it',
  )
  .argument('<name>')
  .argument('<file>', 'the mapping (JSON), as for --map or --dhis2-mapping')
  .addOption(new Option('--kind <kind>', 'what it maps').choices(['columns', 'dhis2']).makeOptionMandatory())
  .requiredOption('--place <code>', 'the place it belongs to (its role holders see it)')
  .action(
    run((name: string, file: string, o: Parameters<typeof mappingsSaveCommand>[3]) =>
      mappingsSaveCommand(config, name, file, o),
    ),
  );
mappings
  .command('delete')
  .description('Delete a saved mapping')
  .argument('<name>')
  .option('--place <code>', 'the place it belongs to, when several places have a mapping of that name')
  .action(run((name: string, o: { place?: string }) => mappingsDeleteCommand(config, name, o)));

const places = program
  .command('places')
  .description('Places: countries and their divisions (regions, cities, districts, any level a country names)');
places
  .command('import')
  .description(
    "Add or update places from CSV: code,parent,level,name_ar,name_en,lat,lon,external_code (optional kind, level_name_<lang>), all or nothing; a known code is updated, a repeated place left alone; level is a kind (country, region, city, district) or the country's own level (province, ward)",
  )
  .argument('<file>')
  .option('--dry-run', 'say which places would be added, changed and left unchanged; write nothing')
  .action(run((file: string, o: { dryRun?: boolean }) => placesImportCommand(config, file, o)));
places
  .command('boundaries')
  .description(
    "Import places' shapes from a GeoJSON or TopoJSON file of areas (longitude, latitude), simplified for the web; lists the areas that match no place",
  )
  .argument('<file>')
  .requiredOption(
    '--match-property <name>',
    'the property that names the place: its code, external code or a name in any language (e.g. LAD16CD, kzName)',
  )
  .option('--parent <code>', 'match only places below this one')
  .option('--dry-run', 'say what would be stored; write nothing')
  .action(
    run((file: string, o: { matchProperty: string; parent?: string; dryRun?: boolean }) =>
      placesBoundariesCommand(config, file, o),
    ),
  );

program
  .command('publish')
  .description(
    'Write the public site as static files for any web server or CDN: its pages in every language, their data as JSON and CSV, the bulk download and a search index; only what changed since the last publish is rewritten',
  )
  .argument('<dir>', 'the folder of the site (made if missing)')
  .option('--lang <langs>', 'the languages to publish, comma-separated (ar,en,fr,es,ru,zh; default all)')
  .option(
    '--live-url <url>',
    'the live server that links to pages of work (sign-in…) and filtered views go to; without it they are left out',
  )
  .option('--site-url <url>', "the published site's own address, for the pages' language alternates")
  .option('--force', 'publish into a folder that is not empty and holds no published site')
  .action(run((dir: string, o: Parameters<typeof publishCommand>[2]) => publishCommand(config, dir, o)));
program
  .command('backup')
  .description('Write a backup of the whole database (FILE.gz to compress)')
  .argument('<file>')
  .action(run((file: string) => backupCommand(config, file)));
program
  .command('restore')
  .description('Replace the database with a backup')
  .argument('<file>')
  .action(run((file: string) => restoreCommand(config, file)));
program
  .command('copy-to')
  .description('Copy this installation to a PostgreSQL server, checked by counts')
  .argument('<url>')
  .option('--force', 'replace Marsad data already on the server')
  .action(run((url: string, o: { force?: boolean }) => copyToCommand(config, url, !!o.force)));

const user = program.command('user').description('Accounts');
user
  .command('create')
  .description(
    'Create an account on the local database and print its invitation link (the first administrator: --admin)',
  )
  .requiredOption('--email <address>', 'e-mail address of the account')
  .option('--name <name>', 'name shown for the account')
  .option('--admin', 'with the administrator role')
  .option('--role <role:PLACE>', 'a role on a place, e.g. city-focal-point:MAAGA (repeat)', collect)
  .option('--password-stdin', 'set the password from standard input instead of printing an invitation link')
  .option(
    '--url <address>',
    'address of the server as users reach it, for the link (default: the public address of the mail settings, else http://HOST:PORT)',
  )
  .option('--language <lang>', 'language of the invitation e-mail (ar, en, fr, es, ru, zh; default Arabic and English)')
  .action(run((o: Parameters<typeof userCreateCommand>[1]) => userCreateCommand(config, o)));

program
  .command('token')
  .description(
    'Print the administrator token of the first start (created if missing; it works until an administrator account exists)',
  )
  .action(
    run(async () => {
      const { token } = await ensureAdminToken(config.dataDir);
      console.log(token);
    }),
  );

await program.parseAsync(process.argv);
