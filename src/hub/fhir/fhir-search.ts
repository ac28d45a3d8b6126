import { NHS_NUMBER_SYSTEM } from '../../shared/hub-api/fhir-bundle';
import type { FhirResource } from './outcome-resources';

/**
 * The search parameters /fhir/r4 understands, parsed strictly: an unknown parameter is refused
 * rather than ignored, because a GP system that mistyped `patient.identifier` must not be sent
 * every patient's outcome.
 *   _lastUpdated=[eq|gt|ge|lt|le]<date or instant>   (repeatable: all must hold)
 *   patient.identifier | patient:identifier | subject:identifier = [system|]value
 *       (the system, if given, must be https://fhir.nhs.uk/Id/nhs-number)
 *   status=<code>[,<code>]   (the resource's own status)
 *   _count (1-200, default 50), _offset (paging; Bundle.link next carries it)
 */
export interface FhirSearch {
  lastUpdated: { op: 'eq' | 'gt' | 'ge' | 'lt' | 'le'; from: number; to: number }[];
  nhsNumber: string | null;
  status: string[] | null;
  count: number;
  offset: number;
}

export type ParsedSearch = { ok: true; search: FhirSearch } | { ok: false; message: string; param: string };

const PATIENT_PARAMS = new Set(['patient.identifier', 'patient:identifier', 'subject:identifier']);
const DATE =
  /^(eq|gt|ge|lt|le)?(\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?)$/;

/** The interval [from, to) a FHIR date of any precision covers, in epoch ms. */
function interval(value: string): { from: number; to: number } | null {
  if (value.length === 4) return { from: Date.UTC(+value, 0, 1), to: Date.UTC(+value + 1, 0, 1) };
  if (value.length === 7) {
    const [y, m] = value.split('-').map(Number);
    return { from: Date.UTC(y!, m! - 1, 1), to: Date.UTC(y!, m!, 1) };
  }
  if (value.length === 10) {
    const from = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(from) ? null : { from, to: from + 86_400_000 };
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  // An instant to the second covers that second; with milliseconds, that millisecond.
  return { from: at, to: at + (/\.\d+/.test(value) ? 1 : 1000) };
}

export function parseFhirSearch(query: Record<string, string | string[] | undefined>): ParsedSearch {
  const search: FhirSearch = { lastUpdated: [], nhsNumber: null, status: null, count: 50, offset: 0 };
  for (const [param, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) => v.trim());
    for (const value of values) {
      if (param === '_lastUpdated') {
        const m = DATE.exec(value);
        const span = m ? interval(m[2]!) : null;
        if (!m || !span)
          return {
            ok: false,
            param,
            message: `_lastUpdated must be a FHIR date with an optional prefix, e.g. gt2026-12-01T09:00:00Z (got "${value}").`,
          };
        search.lastUpdated.push({ op: (m[1] ?? 'eq') as FhirSearch['lastUpdated'][number]['op'], ...span });
      } else if (PATIENT_PARAMS.has(param)) {
        const [system, id] = value.includes('|') ? value.split('|', 2) : [null, value];
        if (system !== null && system !== '' && system !== NHS_NUMBER_SYSTEM)
          return { ok: false, param, message: `Patients are identified by NHS number (system ${NHS_NUMBER_SYSTEM}).` };
        if (!/^\d{10}$/.test(id ?? '')) return { ok: false, param, message: 'An NHS number is 10 digits.' };
        search.nhsNumber = id!;
      } else if (param === 'status') {
        if (!/^[a-z-]+(,[a-z-]+)*$/.test(value)) return { ok: false, param, message: 'status is a list of codes.' };
        search.status = value.split(',');
      } else if (param === '_count' || param === '_offset') {
        const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
        if (param === '_count' && !(n >= 1 && n <= 200))
          return { ok: false, param, message: '_count must be between 1 and 200.' };
        if (param === '_offset' && !(n >= 0)) return { ok: false, param, message: '_offset must be 0 or more.' };
        if (param === '_count') search.count = n;
        else search.offset = n;
      } else if (param === '_format') {
        if (!['json', 'application/fhir+json', 'application/json'].includes(value))
          return { ok: false, param, message: 'Only JSON is served.' };
      } else {
        return { ok: false, param, message: `The search parameter "${param}" is not supported here.` };
      }
    }
  }
  return { ok: true, search };
}

/** Whether a resource's meta.lastUpdated meets every _lastUpdated condition. */
export function matchesLastUpdated(resource: FhirResource, conditions: FhirSearch['lastUpdated']): boolean {
  const t = Date.parse(resource.meta.lastUpdated);
  return conditions.every((c) => {
    switch (c.op) {
      case 'eq':
        return t >= c.from && t < c.to;
      case 'gt':
        return t >= c.to;
      case 'ge':
        return t >= c.from;
      case 'lt':
        return t < c.from;
      case 'le':
        return t < c.to;
    }
  });
}
