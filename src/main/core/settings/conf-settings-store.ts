import Conf from 'conf';
import { settingsSchema, type Settings, type SettingsStore } from './settings';

/**
 * Settings in a JSON file under the data directory via `conf`. Whatever is on disk is parsed
 * through the schema, so a hand-edited or corrupt file falls back to defaults field by field.
 */
export class ConfSettingsStore implements SettingsStore {
  private readonly conf: Conf<Record<string, unknown>>;

  constructor(cwd: string) {
    this.conf = new Conf<Record<string, unknown>>({
      cwd,
      configName: 'settings',
      projectName: 'dermdesk',
      clearInvalidConfig: true,
    });
  }

  get(): Settings {
    const parsed = settingsSchema.safeParse(this.conf.store);
    return parsed.success ? parsed.data : settingsSchema.parse({});
  }

  update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch });
    this.conf.store = next;
    return next;
  }
}
