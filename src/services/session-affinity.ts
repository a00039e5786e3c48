import { Duration } from 'cdk8s';

/** The longest ClientIP affinity timeout Kubernetes accepts, in seconds (one day). */
const MAX_TIMEOUT_SECONDS = 86400;

/**
 * Options for `SessionAffinity.clientIP()`.
 */
export interface ClientIPAffinityOptions {
  /**
   * How long a client keeps going to the same pod, between 1 second and 1 day.
   *
   * @default Duration.hours(3) (Kubernetes' own default)
   */
  readonly timeout?: Duration;
}

/**
 * Whether a Service sends a client's connections to the same pod.
 *
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
 */
export class SessionAffinity {
  /**
   * No affinity: each connection may go to any ready pod.
   */
  public static none(): SessionAffinity {
    return new SessionAffinity('None');
  }

  /**
   * Send all connections from one client IP to the same pod, for a while.
   */
  public static clientIP(options: ClientIPAffinityOptions = {}): SessionAffinity {
    if (options.timeout === undefined) {
      return new SessionAffinity('ClientIP');
    }
    const seconds = options.timeout.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new Error(`SessionAffinity.clientIP: timeout ${seconds}s is not allowed; use a whole number of seconds in 1-${MAX_TIMEOUT_SECONDS}`);
    }
    return new SessionAffinity('ClientIP', seconds);
  }

  private constructor(
    /** The value of `spec.sessionAffinity`: `None` or `ClientIP`. */
    public readonly mode: string,
    /** The ClientIP timeout in seconds, when one was given. */
    public readonly timeoutSeconds?: number,
  ) {}
}
