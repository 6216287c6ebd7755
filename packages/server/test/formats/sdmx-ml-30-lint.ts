/**
 * Checking SDMX-ML 3.0 structure-specific messages with xmllint (Debian: libxml2-utils) against the SDMX-ML 3.0
 * schemas (fixtures/sdmx-ml-30-schemas, README there) and a dataflow's schema, through a wrapper schema that imports
 * both namespaces. Without xmllint the checks are skipped with a message, unless MARSAD_REQUIRE_BROWSER=1 (CI), where
 * that is a failure: `describe.skipIf(!xmllintRequiredOrPresent)` and `requireXmllint()` in its beforeAll.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DataflowStructure30, dataflowXsd30 } from '../../src/formats/index.ts';

export const SDMX_30_FIXTURES = path.resolve(import.meta.dirname, 'fixtures/sdmx-ml-30-schemas');
const MESSAGE_XSD = path.join(SDMX_30_FIXTURES, 'schemas/SDMXMessage.xsd');
const V30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0';

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const requireTools = process.env.MARSAD_REQUIRE_BROWSER === '1';
export const xmllintRequiredOrPresent = hasXmllint || requireTools;
if (!xmllintRequiredOrPresent)
  console.warn('SDMX-ML 3.0 schema checks skipped: no xmllint (apt-get install libxml2-utils)');

export function requireXmllint(): void {
  if (!hasXmllint) throw new Error('MARSAD_REQUIRE_BROWSER=1 but xmllint is missing (apt-get install libxml2-utils)');
}

/** A schema in `dir` importing the message namespace and the dataflow's: a message valid against it is valid against both. */
export async function wrapperXsd(dir: string, name: string, namespace: string, dataflowXsd: string): Promise<string> {
  const file = path.join(dir, `${name}-wrapper.xsd`);
  await writeFile(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:marsad:test:sdmx-ml-30-validation">
  <xs:import namespace="${V30}/message" schemaLocation="${pathToFileURL(MESSAGE_XSD).href}"/>
  <xs:import namespace="${namespace.replace(/&/g, '&amp;')}" schemaLocation="${pathToFileURL(dataflowXsd).href}"/>
</xs:schema>
`,
  );
  return file;
}

/** The dataflow's schema (dataflow-xsd-30.ts) written in `dir`, and the wrapper schema for it. */
export async function dataflowSchema(dir: string, name: string, structure: DataflowStructure30): Promise<string> {
  const dataflow = path.join(dir, `${name}.xsd`);
  await writeFile(
    dataflow,
    dataflowXsd30(structure, { sdmxSchemaLocation: pathToFileURL(path.join(SDMX_30_FIXTURES, 'schemas')).href }),
  );
  const namespace = `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=${structure.agency}:${structure.id}(${structure.version}):ObsLevelDim:TIME_PERIOD`;
  return wrapperXsd(dir, name, namespace, dataflow);
}

/** xmllint on the text (written to `dir/name`). */
export async function xmllint(schema: string, dir: string, name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  return {
    file,
    status: r.status,
    stderr: r.stderr,
    /** Valid, and nothing else said (a schema xmllint cannot find is only a warning). */
    valid: r.status === 0 && r.stderr.trim() === `${file} validates`,
  };
}
