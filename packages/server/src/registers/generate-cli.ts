export async function main(_args: string[]): Promise<void> {
  throw new Error('generate: not built yet');
}
