import { startGatehouse } from './gatehouse-server';

// Starts one gatehouse for the whole run (see gatehouse-server.ts). Tests use unique emails, so
// they can share it. The URL goes to the tests through GATEHOUSE_URL.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startGatehouse();
  process.env.GATEHOUSE_URL = server.url;
  console.log(`gatehouse ${server.bin} listening at ${server.url}`);
  return server.stop;
}
