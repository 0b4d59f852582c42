import type { EcsApi } from './ecs-api';
import type { EcsPause } from './ecs-deployment-state';

/**
 * Answers one pause of a deployment (ContinueServiceDeployment) and logs the answer with why. A refusal only
 * warns: ECS may have decided meanwhile (the hook timed out, the circuit breaker tripped), and the wait reads it.
 */
export async function answerPause(
  api: EcsApi,
  service: string,
  pause: EcsPause,
  answer: { action: 'CONTINUE' | 'ROLLBACK'; reason: string },
  say: { log: (line: string) => void; warning: (message: string) => void },
): Promise<void> {
  say.log(`${service}: ${answer.reason}: ${answer.action} (ContinueServiceDeployment).`);
  try {
    if (!api.continueServiceDeployment) throw new Error('this ECS client cannot answer pauses');
    await api.continueServiceDeployment(pause.serviceDeploymentArn, pause.hookId, answer.action);
  } catch (error) {
    say.warning(
      `${service}: could not answer the pause at ${pause.stage} with ${answer.action} (${(error as Error).message}). ` +
        `If the deployment still waits there, answer it: aws ecs continue-service-deployment --service-deployment-arn ${pause.serviceDeploymentArn} --hook-id ${pause.hookId} --action ${answer.action}.`,
    );
  }
}
