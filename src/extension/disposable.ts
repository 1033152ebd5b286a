import type * as vscode from 'vscode';

/** Owns disposables: every timer, watcher and emitter is registered and disposed together. */
export class Disposable implements vscode.Disposable {
  private readonly owned: { dispose(): unknown }[] = [];
  private disposed = false;

  protected register<T extends { dispose(): unknown }>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        /* keep disposing the rest */
      }
    }
  }
}

export function timer(handle: ReturnType<typeof setInterval>): { dispose(): void } {
  return { dispose: () => clearInterval(handle) };
}
