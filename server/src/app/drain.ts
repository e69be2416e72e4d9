import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * The first step of a graceful shutdown. While draining, /readyz answers 503 so the load
 * balancer stops sending new connections, and every response carries `Connection: close` so
 * keep-alive clients open their next connection elsewhere instead of reusing a socket this
 * server is about to close. The listener keeps accepting meanwhile (main.ts waits
 * SHUTDOWN_DELAY_SECONDS before closing it).
 */
export class Drain {
  private draining = false;
  /** Responses whose headers may not be written yet: they get the header when draining starts. */
  private readonly unanswered = new Set<ServerResponse>();

  get active(): boolean {
    return this.draining;
  }

  readonly middleware: RequestHandler = (_req, res, next) => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
    } else {
      this.unanswered.add(res);
      res.once('close', () => this.unanswered.delete(res));
    }
    next();
  };

  start(): void {
    this.draining = true;
    for (const res of this.unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
    this.unanswered.clear();
  }
}
