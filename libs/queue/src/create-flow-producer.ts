import { FlowProducer } from 'bullmq';
import { checkQueueTarget } from './queue-target.js';
import type { QueueTarget } from './queue-target.js';

/** Options of {@link createFlowProducer}. */
export interface CreateFlowProducerOptions extends QueueTarget {
  /** Called for errors the producer emits; without it they go to stderr. */
  readonly onError?: (error: Error) => void;
}

/**
 * Adds parent/children job trees (a build and its exports). Flow jobs do not inherit a queue's
 * `defaultJobOptions`: spread {@link defaultJobOptions} into each node's `opts`.
 */
export function createFlowProducer(options: CreateFlowProducerOptions): FlowProducer {
  const prefix = checkQueueTarget(options);
  const producer = new FlowProducer({ connection: options.connection, prefix });
  producer.on('error', options.onError ?? (() => undefined));
  return producer;
}
