import Store from 'electron-store';
import { settingsSchema, type Settings, type SettingsStore } from '../core/settings/settings';

/** The shell's settings adapter: electron-store in the app's userData folder. Never holds secrets. */
export class ElectronStoreSettings implements SettingsStore {
  private readonly store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true });

  get(): Settings {
    const parsed = settingsSchema.safeParse(this.store.store);
    return parsed.success ? parsed.data : settingsSchema.parse({});
  }

  update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch });
    this.store.store = next;
    return next;
  }
}
