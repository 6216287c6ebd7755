/**
 * A real SDMX client reads the SDMX web service: R's rsdmx (Debian's r-cran-rsdmx) fetches a data query of SDMX REST
 * 1.5 (generic data, as Marsad answers rsdmx's `Accept: application/xml`, and structure-specific), the dataflow, the
 * data structure with its code lists (`references=children`) and a code list from a server listening on a port, and
 * writes what it read as JSON; the observations must be those /api/v1/observations gives for the same selection.
 * Without Rscript or rsdmx the test is skipped with a message, unless MARSAD_REQUIRE_BROWSER=1 (CI), where that is a
 * failure. One R process, a few seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { toSdmxTimePeriod } from '@marsad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

const required = process.env.MARSAD_REQUIRE_BROWSER === '1';
const hasRsdmx = spawnSync('Rscript', ['-e', 'library(rsdmx)'], { stdio: 'ignore' }).status === 0;
if (!hasRsdmx && !required)
  console.warn(
    'sdmx-rest-rsdmx.test.ts skipped: no Rscript with rsdmx (apt-get install --no-install-recommends r-cran-rsdmx)',
  );

const DATA = `${[
  'indicator,series,place,period,value,note,SEX',
  '11.1.1,EN_LND_SLUM,MAR,2015,10,,',
  '11.1.1,EN_LND_SLUM,MAR,2016,11.25,a note,',
  '11.1.1,EN_LND_SLUM,MAR,2016,12,,F',
  '11.1.1,EN_LND_SLUM,MAAGA,2016,13,,',
  '11.1.1,EN_LND_SLUM,MAAGA,2017-Q1,14.5,,',
  '11.1.1,EN_LND_SLUM,JOR,2016,99,,',
].join('\n')}\n`;

/** The R script: reads each URL with readSDMX, tabulates with as.data.frame, prints one JSON object. */
const SCRIPT = `
suppressPackageStartupMessages(library(rsdmx))
base <- commandArgs(trailingOnly = TRUE)[1]
rows <- function(df, cols) lapply(seq_len(nrow(df)), function(i) as.list(vapply(cols, function(c) as.character(df[i, c]), "")))
generic <- as.data.frame(suppressWarnings(readSDMX(paste0(base, "/sdmx/data/MARSAD,DF_MARSAD,latest/11_1_1..MAR+MAAGA?startPeriod=2015&endPeriod=2020"))))
ss <- as.data.frame(readSDMX(paste0(base, "/sdmx/data/DF_MARSAD/11_1_1..MAR+MAAGA/all?format=structurespecificdata")))
flow <- as.data.frame(readSDMX(paste0(base, "/sdmx/dataflow/MARSAD/DF_MARSAD/latest")))
dsd <- readSDMX(paste0(base, "/sdmx/datastructure/MARSAD/DSD_MARSAD/latest?references=children"))
dims <- slot(slot(slot(dsd, "datastructures"), "datastructures")[[1]], "Components")
dimIds <- vapply(slot(dims, "Dimensions"), function(d) slot(d, "conceptRef"), "")
codelists <- slot(dsd, "codelists")
area <- as.data.frame(codelists, codelistId = "CL_AREA")
sex <- as.data.frame(readSDMX(paste0(base, "/sdmx/codelist/MARSAD/CL_SEX/latest")))
cat(jsonlite::toJSON(list(
  generic = rows(generic, c("INDICATOR", "SERIES", "REF_AREA", "SEX", "obsTime", "obsValue", "MARSAD_STATUS")),
  structureSpecific = rows(ss, c("INDICATOR", "SERIES", "REF_AREA", "SEX", "TIME_PERIOD", "OBS_VALUE")),
  flow = list(id = as.character(flow$id), dsd = as.character(flow$dsdRef), version = as.character(flow$version)),
  dimensions = dimIds,
  codelists = vapply(slot(codelists, "codelists"), function(x) slot(x, "id"), ""),
  mar = as.character(area[area$id == "MAR", "name.en"]),
  sex = as.character(sex$id)
), auto_unbox = TRUE))
`;

describe.skipIf(!hasRsdmx && !required)('rsdmx reads the SDMX web service', () => {
  let t: TestApp;
  let base = '';
  let dir = '';
  beforeAll(async () => {
    if (!hasRsdmx)
      throw new Error('MARSAD_REQUIRE_BROWSER=1 but Rscript with rsdmx is missing (apt-get install r-cran-rsdmx)');
    t = await createTestApp('pglite');
    const r = await importText(t.app, DATA, { format: 'csv', status: 'approved' }, AUTH);
    expect(r.statusCode, r.body).toBe(201);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-rsdmx-'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads data, the dataflow, the data structure and code lists as the JSON API gives them', async () => {
    const script = path.join(dir, 'read.R');
    writeFileSync(script, SCRIPT);
    // Not spawnSync: the server answering R runs on this thread's event loop.
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('Rscript', [script, base], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
      });
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(out.code, out.stderr).toBe(0);
    const read = JSON.parse(out.stdout) as {
      generic: Record<string, string>[];
      structureSpecific: Record<string, string>[];
      flow: { id: string; dsd: string; version: string };
      dimensions: string[];
      codelists: string[];
      mar: string;
      sex: string[];
    };

    const api = (
      await t.app.inject({ url: '/api/v1/observations?indicator=11.1.1&place=MAR,MAAGA&from=2015&to=2020&limit=1000' })
    ).json().items as {
      series: string;
      place: string;
      period: string;
      dims: Record<string, string>;
      value: number;
      status: string;
    }[];
    const expected = api
      .map((o) => `${o.series} ${o.place} ${o.dims.SEX ?? '_T'} ${toSdmxTimePeriod(o.period)} ${o.value} ${o.status}`)
      .sort();
    expect(expected).toHaveLength(5);
    expect(
      read.generic
        .map((r) => `${r.SERIES} ${r.REF_AREA} ${r.SEX} ${r.obsTime} ${Number(r.obsValue)} ${r.MARSAD_STATUS}`)
        .sort(),
    ).toEqual(expected);
    expect(read.generic.every((r) => r.INDICATOR === '11_1_1')).toBe(true);
    expect(
      read.structureSpecific
        .map((r) => `${r.SERIES} ${r.REF_AREA} ${r.SEX} ${r.TIME_PERIOD} ${Number(r.OBS_VALUE)} approved`)
        .sort(),
    ).toEqual(expected);

    expect(read.flow).toEqual({ id: 'DF_MARSAD', dsd: 'DSD_MARSAD', version: '1.0' });
    expect(read.dimensions.slice(0, 4)).toEqual(['INDICATOR', 'SERIES', 'REF_AREA', 'SEX']);
    expect(read.codelists).toEqual(
      expect.arrayContaining(['CL_INDICATOR', 'CL_SERIES', 'CL_AREA', 'CL_SEX', 'CL_UNIT']),
    );
    expect(read.mar).toBe('Morocco');
    expect(read.sex).toEqual(['_T', 'F', 'M']);
  }, 60_000);
});
