// Demo mode's Salt Security: the simulator, filled in once the simulator lands.
export async function startDemoSimulator(_childEnv: NodeJS.ProcessEnv): Promise<{ close(): Promise<void> } | null> {
  return null;
}
