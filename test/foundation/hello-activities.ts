export function createGreetActivities(processId: number) {
  return {
    async greet(name: string): Promise<string> {
      return `Hello, ${name}, from worker process ${processId}`;
    },
  };
}
