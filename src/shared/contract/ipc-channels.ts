/**
 * The Electron IPC channel names, one source for the preload (which sends on them) and the
 * shell's transport (which listens). Method names are appended by the preload as given and checked
 * against the contract by the main process, so the preload stays logic-free.
 */

/** Prefix of the channel each contract method is invoked on: `dermdesk:rpc:<method>`. */
export const RPC_CHANNEL_PREFIX = 'dermdesk:rpc:';

/** The one channel every core event is forwarded to the windows on. */
export const EVENT_CHANNEL = 'dermdesk:event';
