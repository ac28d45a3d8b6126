import { useMemo, useRef, useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import type { OutcomeKind } from '../../../../shared/domain/decision';
import { chooseDiagnosis, formToContent, type DecisionForm } from '../../../../shared/domain/decision-form';
import { diagnoses } from '../../../../shared/domain/diagnoses';
import { describeOutcome, outcomeKinds, outcomeLabels } from '../../../../shared/domain/outcome-labels';
import { decisionRuleViolations } from '../../../../shared/domain/outcome-rules';
import { planTemplates } from '../../../../shared/domain/plan-templates';
import { api, errorMessage } from '../../api/client';
import { useCommands } from '../shortcuts/command-bus';
import { outcomeKeys } from '../shortcuts/key-map';
import { ConfirmSignDialog } from './confirm-sign-dialog';
import { DiagnosisPicker } from './diagnosis-picker';
import { OutcomeDetails } from './outcome-details';
import { SevenPointPanel } from './seven-point-panel';
import { useAutosave } from './use-autosave';

const PLAN_FIELDS: Array<[keyof DecisionForm['plan'], string]> = [
  ['firstLine', 'First-line treatment'],
  ['nextSteps', 'What to try next'],
  ['reReferral', 'When to re-refer'],
  ['safetyNetting', 'Safety-netting advice for the patient'],
  ['adviceToGp', 'Advice to the GP'],
];

/** The decision form: outcome, diagnosis, plan, leaflets; autosaved; signed with Ctrl+Enter. */
export function DecisionFormView(props: {
  detail: CaseDetailData;
  initial: DecisionForm;
  supersedes: string | null;
  onSigned: () => void;
  onCancelAmend?: () => void;
  /** The form's heading when it is not the usual one (a decision after the referrer's answer). */
  title?: string;
}): React.JSX.Element {
  const referral = props.detail.record.referral;
  const [form, setForm] = useState<DecisionForm>(props.initial);
  const [confirming, setConfirming] = useState(false);
  const [signError, setSignError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const diagnosisRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const save = useAutosave(props.detail.record.id, form, true);
  const update = (patch: Partial<DecisionForm>): void => setForm((f) => ({ ...f, ...patch }));

  const built = useMemo(() => formToContent(form), [form]);
  const problems = built.ok ? decisionRuleViolations(referral, built.content) : built.errors;
  const suspectedCancer = referral.priority === 'suspected-cancer';
  const needsDowngradeAdvice =
    suspectedCancer && form.outcomeKind !== null && form.outcomeKind !== 'suspected-cancer-pathway';
  const pigmented = form.diagnosisId ? diagnoses.find((d) => d.id === form.diagnosisId)?.pigmented === true : false;

  const setOutcome = (kind: OutcomeKind): void =>
    update({ outcomeKind: kind, ...(kind === 'suspected-cancer-pathway' ? { downgradeAdvice: '' } : {}) });

  const sign = (): void => {
    if (!built.ok || problems.length > 0) return;
    setBusy(true);
    api
      .call('decision.sign', { caseId: props.detail.record.id, form, supersedes: props.supersedes })
      .then(
        () => {
          setConfirming(false);
          props.onSigned();
        },
        (e: unknown) => setSignError(errorMessage(e)),
      )
      .finally(() => setBusy(false));
  };

  useCommands((name) => {
    if (confirming) return false;
    if (name.startsWith('decision.outcome:')) {
      const kind = name.slice('decision.outcome:'.length) as OutcomeKind;
      if (!outcomeKinds.includes(kind)) return false;
      setOutcome(kind);
      formRef.current?.focus();
      return true;
    }
    if (name === 'decision.diagnosis') {
      diagnosisRef.current?.focus();
      return true;
    }
    if (name === 'decision.checklist') {
      update({ sevenPoint: form.sevenPoint ?? {} });
      return true;
    }
    if (name === 'decision.sign') {
      setSignError(null);
      if (built.ok && problems.length === 0) setConfirming(true);
      else formRef.current?.querySelector<HTMLElement>('[data-testid="form-problems"]')?.focus();
      return true;
    }
    return false;
  });

  return (
    <div className="decision-form" data-decision-form tabIndex={-1} ref={formRef} aria-label="Decision form">
      <h3>{props.title ?? (props.supersedes ? 'Amend the decision' : 'Decision')}</h3>
      <fieldset className="outcomes">
        <legend>Outcome</legend>
        {outcomeKinds.map((kind) => (
          <label key={kind} className="check outcome-option">
            <input type="radio" name="outcome" checked={form.outcomeKind === kind} onChange={() => setOutcome(kind)} />
            <span>{outcomeLabels[kind]}</span>{' '}
            <kbd aria-label={`shortcut ${outcomeKeys[kind]}`}>{outcomeKeys[kind]}</kbd>
          </label>
        ))}
      </fieldset>
      <OutcomeDetails form={form} disabled={false} update={update} />
      {needsDowngradeAdvice && (
        <div className="downgrade" data-testid="downgrade-advice">
          <p className="warn-banner">
            This is a suspected-cancer referral. Only the referrer can downgrade it: DermDesk will not. Record your
            advice to the referrer to downgrade.
          </p>
          <label>
            Advice to the referrer to downgrade (required)
            <textarea
              rows={2}
              value={form.downgradeAdvice}
              onChange={(e) => update({ downgradeAdvice: e.target.value })}
            />
          </label>
        </div>
      )}
      <DiagnosisPicker
        ref={diagnosisRef}
        selectedId={form.diagnosisId}
        freeText={form.diagnosisFreeText}
        disabled={false}
        onPick={(entry) => setForm((f) => chooseDiagnosis(f, entry))}
        onFreeText={(text) => update({ diagnosisFreeText: text, diagnosisId: text ? null : form.diagnosisId })}
      />
      {(pigmented || form.sevenPoint) && (
        <SevenPointPanel answers={form.sevenPoint ?? {}} disabled={false} onChange={(a) => update({ sevenPoint: a })} />
      )}
      {!pigmented && !form.sevenPoint && (
        <button type="button" className="link" onClick={() => update({ sevenPoint: {} })}>
          Use the 7-point checklist (7)
        </button>
      )}
      <fieldset className="plan">
        <legend>Management plan</legend>
        <label>
          Template
          <select
            aria-label="Plan template"
            value={form.templateId ?? ''}
            onChange={(e) => {
              const t = planTemplates.find((x) => x.id === e.target.value);
              if (t) update({ templateId: t.id, plan: { ...t.plan } });
            }}
          >
            <option value="">Choose a template…</option>
            {planTemplates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        {PLAN_FIELDS.map(([key, label]) => (
          <label key={key}>
            {label}
            <textarea
              rows={2}
              value={form.plan[key]}
              onChange={(e) => update({ plan: { ...form.plan, [key]: e.target.value } })}
            />
          </label>
        ))}
        <div className="leaflets">
          <p>Patient leaflets (British Association of Dermatologists)</p>
          {form.leaflets.length === 0 && (
            <p className="muted">None chosen. Picking a diagnosis adds its BAD leaflet.</p>
          )}
          <ul>
            {form.leaflets.map((l) => (
              <li key={l.url}>
                <span>{l.title}</span> <span className="muted">{l.url}</span>{' '}
                <button
                  type="button"
                  aria-label={`Remove leaflet ${l.title}`}
                  onClick={() => update({ leaflets: form.leaflets.filter((x) => x.url !== l.url) })}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </div>
      </fieldset>
      {problems.length > 0 && (
        <ul className="form-problems" data-testid="form-problems" tabIndex={-1} aria-label="Before you can sign">
          {problems.map((p) => (
            <li key={p.field + p.message}>{p.message}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <span className="save-state" role="status" data-testid="save-state">
          {save.status === 'saved'
            ? `Draft saved ${save.at.slice(11, 19)}`
            : save.status === 'saving'
              ? 'Saving draft…'
              : save.status === 'error'
                ? `Draft not saved: ${save.message}`
                : props.detail.draft
                  ? `Draft from ${props.detail.draft.updatedAt.slice(0, 19).replace('T', ' ')}`
                  : ''}
        </span>
        {props.onCancelAmend && (
          <button type="button" onClick={props.onCancelAmend}>
            Cancel amendment
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={!built.ok || problems.length > 0}
          onClick={() => setConfirming(true)}
        >
          Sign <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
      {confirming && built.ok && (
        <ConfirmSignDialog
          summary={`${describeOutcome(built.content.outcome)}${built.content.diagnosis ? ` Diagnosis: ${built.content.diagnosis.label}.` : ''}`}
          amendment={props.supersedes !== null}
          busy={busy}
          error={signError}
          onConfirm={sign}
          onCancel={() => {
            setConfirming(false);
            formRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
