/**
 * The dataflows the SDMX web service serves, each from a provider: Marsad's own MARSAD:DF_MARSAD
 * (marsad-dataflow.ts), MARSAD:DF_SDG under the IAEG-SDGs:SDG data structure when it is loaded (sdg-dataflow.ts), and
 * whatever else registers itself with `registerDataflowProvider`. A provider is opened once per request: the open session lists the
 * provider's structural metadata (every version of its dataflows, data structures, concept schemes and code lists)
 * and selects data of one version for a query. The web service does the rest: paths and parameters, content
 * negotiation, the size limit, errors as SDMX error messages, structure queries with their references, availability.
 * docs/sdmx-rest.md, "Another dataflow", shows how to add one.
 */
import type { AppContext } from '../context.ts';
import type { UnpublishedAccess } from '../observations/observation-filter.ts';
import type { DataFormat } from './content-negotiation.ts';
import type { ComponentFilter, SeriesKeyQuery } from './key-syntax.ts';
import type { Artefact, Item } from './structure-model.ts';

/** A data query, its codes still as the query gives them (SDMX ids, or original codes where unambiguous). */
export interface DataQuery {
  /** One or more keys (OR), each a position per dimension of the structure (without TIME_PERIOD). */
  keys: readonly SeriesKeyQuery[];
  /** Component filters by component id (`c[REF_AREA]=MAR,MAAGA`, `c[TIME_PERIOD]=ge:2015`). */
  filters: ReadonlyMap<string, ComponentFilter>;
  /** startPeriod / endPeriod of SDMX REST 1.5, as given (an SDMX time period). */
  startPeriod?: string;
  endPeriod?: string;
  /** An ISO instant: only what was written after it. */
  updatedAfter?: string;
  firstNObservations?: number;
  lastNObservations?: number;
}

/** How the data message is laid out and what it holds. */
export interface DataLayout {
  /** The dimension at observation level: TIME_PERIOD (series), or AllDimensions (a flat list of observations). */
  dimensionAtObservation: 'TIME_PERIOD' | 'AllDimensions';
  /** The attributes written (ids of the structure's attributes). */
  attributes: ReadonlySet<string>;
  /** Whether observation values are written. */
  measures: boolean;
  /** Whether observations are written at all (false: series keys, and their series attributes, only). */
  observations: boolean;
}

/** One series key that has data, with how many observations and their span. */
export interface SeriesAvailability {
  /** The SDMX id of each dimension of the key, in the structure's order. */
  key: readonly string[];
  observations: number;
  /** First and last day (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
}

/** The data a query selects from one version of a dataflow. */
export interface DataSelection {
  /** How many observations the database holds for the query, counted up to `limit + 1` (more: not read). */
  countUpTo(limit: number): Promise<number>;
  /** The series keys with data for the query (component filters on attributes are not applied). */
  availability(): Promise<SeriesAvailability[]>;
  /** The data message, streamed; its first chunk comes once the first observation is read. */
  write(format: DataFormat, layout: DataLayout): Promise<AsyncIterable<string> | null>;
}

export interface DataflowSession {
  /** Every artefact the provider maintains: each version of its dataflows, data structures, concept schemes, code lists. */
  artefacts: readonly Artefact[];
  /** The agencies that maintain them, for the agency scheme SDMX:AGENCIES. */
  agencies: readonly Item[];
  /**
   * The data of one dataflow version for a query, as the reader may see it (`access`: the same unpublished values
   * and the same suppressed values as in /api/v1/observations). Throws an SdmxError or a QuerySyntaxError for a query
   * the structure does not allow.
   */
  select(
    dataflow: { id: string; version: string },
    query: DataQuery,
    access: UnpublishedAccess,
  ): Promise<DataSelection>;
}

export interface DataflowProvider {
  /** The agency and id of the provider's dataflows, for a query naming them (agency `*` matches any). */
  agency: string;
  dataflowIds: readonly string[];
  open(ctx: AppContext): Promise<DataflowSession>;
}

const providers: DataflowProvider[] = [];

/**
 * Adds a provider of dataflows to the web service (the same provider again changes nothing; another one of a dataflow
 * already served is refused).
 */
export function registerDataflowProvider(provider: DataflowProvider): void {
  if (providers.includes(provider)) return;
  if (
    providers.some((p) => p.agency === provider.agency && p.dataflowIds.some((d) => provider.dataflowIds.includes(d)))
  )
    throw new Error(`a provider of ${provider.agency}:${provider.dataflowIds.join(',')} is registered already`);
  providers.push(provider);
}

/** The registered providers, in the order they were registered. */
export function dataflowProviders(): readonly DataflowProvider[] {
  return providers;
}
