import { NHS_NUMBER_SYSTEM } from '../../shared/hub-api/fhir-bundle';

const SEARCH_PARAMS = [
  { name: '_lastUpdated', type: 'date', documentation: 'eq, gt, ge, lt, le; repeat to bound both ends' },
  { name: 'patient.identifier', type: 'token', documentation: `${NHS_NUMBER_SYSTEM}|<NHS number>` },
  { name: 'status', type: 'token', documentation: "the resource's status, comma-separated" },
  { name: '_count', type: 'number', documentation: '1-200, default 50' },
  { name: '_offset', type: 'number', documentation: 'paging; follow Bundle.link next' },
];

/** What /fhir/r4 serves (GET /fhir/r4/metadata). */
export function capabilityStatement(now: Date): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString(),
    publisher: 'DermDesk referral hub',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    implementation: { description: 'Teledermatology outcomes for GP practices (read and search only)' },
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Bearer token of a GP practice account (POST /api/v1/practice/login); a practice sees its own cases only.',
        },
        resource: [
          ...['ServiceRequest', 'DiagnosticReport', 'Task'].map((type) => ({
            type,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: SEARCH_PARAMS,
          })),
          { type: 'Binary', interaction: [{ code: 'read' }], documentation: 'The outcome letter (application/pdf)' },
        ],
      },
    ],
  };
}
