import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { flushBeforeLock } from '../lock/work-place';

/**
 * pdf.js (about a third of the renderer's code) is loaded when a letter is first previewed, not
 * with the page: the first image of a case is drawn sooner (issue 16, cold start). The chunk is
 * pinned by its hash in the page's CSP like the entry script (electron.vite.config.ts).
 */
const pdfPages = () => import('./pdf-pages');

type Preview =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; draft: boolean; doc: PDFDocumentProxy };

/** One page of the letter, drawn on its canvas once it is in the DOM; reports the page's text. */
function LetterPage(props: {
  doc: PDFDocumentProxy;
  number: number;
  onText: (n: number, text: string) => void;
  onError: (message: string) => void;
}): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const { doc, number, onText, onError } = props;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    pdfPages()
      .then(({ drawPage }) => drawPage(doc, number, canvas, 1.3))
      .then(
        (text) => onText(number, text),
        (e: unknown) => onError(e instanceof Error ? e.message : 'the page could not be drawn'),
      );
  }, [doc, number, onText, onError]);
  return (
    <canvas
      ref={ref}
      data-page={number}
      role="img"
      aria-label={`Page ${number} of ${doc.numPages}`}
      data-testid="letter-page"
    />
  );
}

/**
 * The letter to the GP, previewed inside the app (`g`, or the button; the viewer has no `g`, so it means one thing): the core makes the same PDF
 * it exports (a draft's marked "DRAFT — not signed"), and pdf.js draws it here, page by page, on
 * canvases. An accessible modal: focus moves to it and back, Escape or Close leaves it, and the
 * letter's text is there for a screen reader beside the drawn pages.
 */
export function LetterPreviewDialog(props: {
  caseId: string;
  decisionId: string | null;
  onClose: () => void;
}): React.JSX.Element {
  const [preview, setPreview] = useState<Preview>({ status: 'loading' });
  const [texts, setTexts] = useState<ReadonlyMap<number, string>>(() => new Map());
  const closeRef = useRef<HTMLButtonElement>(null);
  const { caseId, decisionId, onClose } = props;

  useEffect(() => {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => back?.focus();
  }, []);

  useEffect(() => {
    let cancelled = false;
    let loaded: PDFDocumentProxy | null = null;
    void (async () => {
      try {
        // A draft is previewed as saved: the form's pending autosave goes first.
        if (decisionId === null) await flushBeforeLock();
        const r = await api.call('decision.letterPreview', {
          caseId,
          ...(decisionId === null ? {} : { decisionId }),
        });
        const { base64Bytes, openPdf } = await pdfPages();
        const doc = await openPdf(base64Bytes(r.pdfBase64));
        if (cancelled) return void doc.destroy();
        loaded = doc;
        setPreview({ status: 'ready', draft: r.draft, doc });
      } catch (e) {
        if (!cancelled) setPreview({ status: 'error', message: errorMessage(e) });
      }
    })();
    return () => {
      cancelled = true;
      void loaded?.destroy();
    };
  }, [caseId, decisionId]);
  const onText = useCallback((n: number, text: string) => setTexts((old) => new Map(old).set(n, text)), []);
  const onError = useCallback((message: string) => setPreview({ status: 'error', message }), []);

  const draft = preview.status === 'ready' ? preview.draft : decisionId === null;
  return (
    <div className="overlay" role="presentation">
      <div
        className="dialog letter-preview"
        role="dialog"
        aria-modal="true"
        aria-labelledby="letter-preview-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="letter-preview-header">
          <h2 id="letter-preview-title">Letter to the GP: preview</h2>
          {draft && (
            <span className="letter-draft-mark" data-testid="letter-draft-mark">
              DRAFT — not signed
            </span>
          )}
          <button ref={closeRef} type="button" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        {preview.status === 'loading' && <p role="status">Preparing the letter…</p>}
        {preview.status === 'error' && (
          <p role="alert" className="error-state">
            Could not preview the letter: {preview.message}
          </p>
        )}
        {preview.status === 'ready' && (
          <>
            <div className="letter-pages" data-testid="letter-pages" tabIndex={0} aria-label="Letter pages">
              {Array.from({ length: preview.doc.numPages }, (_, i) => (
                <LetterPage key={i} doc={preview.doc} number={i + 1} onText={onText} onError={onError} />
              ))}
            </div>
            <div className="sr-only" data-testid="letter-text">
              {[...texts.entries()]
                .sort(([a], [b]) => a - b)
                .map(([, t]) => t)
                .join('\n')}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
