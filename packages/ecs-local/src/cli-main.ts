import { parseCli, USAGE } from './cli';
import { startEcsLocal } from './start-ecs-local';

// The standalone endpoint for the demo and the benchmarks (bin/ecs-local.js bundles and runs this file).
async function main() {
  const options = parseCli(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const endpoint = await startEcsLocal(options);
  console.log(endpoint.url);
  console.error(
    `ecs-local: ECS on ${endpoint.url} (export AWS_ENDPOINT_URL_ECS=${endpoint.url}); Ctrl-C stops it`,
  );
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    console.error('ecs-local: removing task containers');
    endpoint.close().then(
      () => process.exit(0),
      (error) => {
        console.error(`ecs-local: clean-up failed: ${error instanceof Error ? error.message : error}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`ecs-local: ${error instanceof Error ? error.message : error}\n\n${USAGE}`);
  process.exit(2);
});
