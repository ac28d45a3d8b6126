/** `#view=viewer&case=<id>` selects the pop-out page; the case id must look like a UUID. */
export function viewerRoute(hash: string): { caseId: string | null } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.get('view') !== 'viewer') return null;
  const id = params.get('case');
  return { caseId: id && /^[0-9a-f-]{36}$/i.test(id) ? id : null };
}
