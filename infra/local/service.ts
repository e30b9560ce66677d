/**
 * The shape every emulated service shares (Architect sandbox style): a module exports
 * `start(ctx)` and `stop()`. `start` also returns the running instance, so a test can run
 * one service on its own and stop exactly that one.
 */
export interface Running {
  stop(): Promise<void>;
}

/** Keeps a module's running instances, so the module-level `stop()` can end them all. */
export function instances<T extends Running>() {
  const running = new Set<T>();
  return {
    track(instance: T): T {
      const stop = instance.stop.bind(instance);
      running.add(instance);
      instance.stop = async () => {
        running.delete(instance);
        await stop();
      };
      return instance;
    },
    async stopAll(): Promise<void> {
      await Promise.all([...running].map((instance) => instance.stop()));
    },
  };
}
