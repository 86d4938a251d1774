/** Configuration that is missing or wrong. The CLI exits 2 on it; the message says the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** No StreamAlert project where one was expected. */
export class NoProjectError extends ConfigError {
  override name = 'NoProjectError';
  constructor(dir: string) {
    super(`No StreamAlert project in ${dir} (no conf/ folder). Run 'streamalert init' there, or pass --project DIR`);
  }
}
