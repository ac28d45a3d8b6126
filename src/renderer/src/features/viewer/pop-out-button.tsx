import { useState } from 'react';
import { api, ApiError } from '../../api/client';

/**
 * "Pop out viewer": in the app, the shell opens the viewer window on the second display; on the
 * test host (a browser page) this page opens it as a second page itself. Either way the button
 * says what happened, including when a pop-up blocker refused the window.
 */
export function PopOutButton(props: { caseId: string }): React.JSX.Element {
  const [note, setNote] = useState('');
  const popOut = (): void => {
    const how = api.openViewerWindow(props.caseId);
    if (how === 'opened') return setNote('The viewer is open in its own window; it follows the case open here.');
    if (how === 'blocked')
      return setNote(
        'The browser blocked the viewer window. Allow pop-ups for DermDesk, or use the desktop app, which opens the viewer on your second monitor.',
      );
    api.call('viewer.follow-case', { caseId: props.caseId, open: true }).then(
      () => setNote('The viewer window shows this case on your other screen.'),
      (e: unknown) =>
        setNote(
          e instanceof ApiError
            ? `The viewer window could not open: ${e.message}`
            : 'The viewer window could not open.',
        ),
    );
  };
  return (
    <>
      <button type="button" title="Open the viewer in its own window (for a second monitor)" onClick={popOut}>
        Pop out viewer
      </button>
      <span role="status" className="popout-status" data-testid="popout-status">
        {note}
      </span>
    </>
  );
}
