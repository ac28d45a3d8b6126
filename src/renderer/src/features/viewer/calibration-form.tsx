import { useState } from 'react';

/** Asks for the real length of the reference line just drawn (a ruler or coin in the photo). */
export function CalibrationForm(props: { onSet(millimetres: number): void; onCancel(): void }): React.JSX.Element {
  const [mm, setMm] = useState('10');
  return (
    <form
      className="calibration-form"
      aria-label="Calibrate scale"
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(mm);
        if (value > 0) props.onSet(value);
      }}
    >
      <label>
        Reference length (mm)
        <input type="number" min="0.1" step="0.1" value={mm} onChange={(e) => setMm(e.target.value)} autoFocus />
      </label>
      <button type="submit">Set scale</button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}
