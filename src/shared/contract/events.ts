import { z } from 'zod';
import { appStatusSchema } from './app-methods';
import { lockReasonSchema } from './lock-methods';
import { syncProgressSchema, syncStatusSchema } from './sync-methods';
import { derivativeStatusSchema, viewerCaseFollowedSchema } from './image-methods';

/** Events the core pushes to the renderer (IPC send in Electron, Server-Sent Events on the host). */
export const events = {
  'app.status-changed': appStatusSchema,
  'worklist.changed': z.object({ reason: z.string() }),
  /** The hub accepted (or refused) a signed decision: the open case shows its new sync state. */
  'decision.sync-changed': z.object({
    caseId: z.string(),
    decisionId: z.string(),
    syncState: z.enum(['synced', 'needs-review', 'rejected']),
  }),
  /** The referrer answered a more-information request: the case is back to triage (an open case reloads). */
  'case.answered': z.object({ caseId: z.string() }),
  'lock.changed': z.object({ locked: z.boolean(), reason: lockReasonSchema }),
  'sync.progress': syncProgressSchema,
  'sync.status-changed': syncStatusSchema,
  'images.derivatives-progress': derivativeStatusSchema,
  'viewer.case-followed': viewerCaseFollowedSchema,
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
