// The built-in simulator for the default "Simulator" environment: started on 127.0.0.1 on first use,
// kept running until the extension stops (pure: no vscode).
import { startSimulator } from '../../../core/simulator';

export class SimulatorHost {
  private running?: Promise<{ url: string; close(): Promise<void> }>;
  currentUrl?: string;

  constructor(private readonly log: (line: string) => void) {}

  /** The simulator's base URL (no trailing slash), starting it if needed. */
  async url(): Promise<string> {
    this.running ??= startSimulator({ host: '127.0.0.1', log: this.log }).catch((e: unknown) => {
      this.running = undefined;
      throw e;
    });
    const sim = await this.running;
    this.currentUrl = sim.url.replace(/\/+$/, '');
    return this.currentUrl;
  }

  async close(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    this.currentUrl = undefined;
    if (r) await (await r).close();
  }
}
