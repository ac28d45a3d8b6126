import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository } from '../store/hub-repository';

export const DEMO_PRACTICE = {
  username: 'demo.practice',
  password: 'dermdesk-practice-2026',
  odsCode: 'B82005',
  name: 'Riverside Medical Practice',
};
export const DEMO_OPERATOR = { username: 'demo.operator', password: 'dermdesk-operator-2026' };

/** With `--demo`: a practice account (for /gp) and an operator account (for /ops), once per data dir. */
export async function seedDoorsDemo(deps: DoorsDeps, store: DoorsRepository): Promise<void> {
  if (!(await deps.repo.findUserByUsername(DEMO_PRACTICE.username))) {
    const userId = await deps.createUser({
      username: DEMO_PRACTICE.username,
      password: DEMO_PRACTICE.password,
      displayName: 'Dr Priya Shah',
      role: 'gp-practice',
    });
    await store.addPracticeAccount({ userId, odsCode: DEMO_PRACTICE.odsCode, practiceName: DEMO_PRACTICE.name });
  }
  if (!(await deps.repo.findUserByUsername(DEMO_OPERATOR.username))) {
    await deps.createUser({
      username: DEMO_OPERATOR.username,
      password: DEMO_OPERATOR.password,
      displayName: 'Service operator',
      role: 'admin',
    });
  }
}
