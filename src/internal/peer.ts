import { MissingPeerDependencyError } from '../errors.js';

import type * as LambdaSdkModule from '@aws-sdk/client-lambda';
import type * as LogsSdkModule from '@aws-sdk/client-cloudwatch-logs';
import type * as CloudWatchSdkModule from '@aws-sdk/client-cloudwatch';

type LambdaSdk = typeof LambdaSdkModule;
type LogsSdk = typeof LogsSdkModule;
type CloudWatchSdk = typeof CloudWatchSdkModule;

function isModuleNotFound(err: unknown, packageName: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  const message = String((err as { message?: unknown }).message ?? '');
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(packageName);
}

// Each optional peer is imported on first use only, so importing lambda-meter never requires it.
const cache = new Map<string, Promise<unknown>>();

async function loadPeer<T>(packageName: string, usedBy: string, load: () => Promise<T>): Promise<T> {
  let pending = cache.get(packageName) as Promise<T> | undefined;
  if (pending === undefined) {
    pending = load().catch((err: unknown) => {
      cache.delete(packageName);
      if (isModuleNotFound(err, packageName)) throw new MissingPeerDependencyError(packageName, usedBy, { cause: err });
      throw err;
    });
    cache.set(packageName, pending);
  }
  return pending;
}

/** Loads `@aws-sdk/client-lambda`, or throws MissingPeerDependencyError naming it. */
export function loadLambdaSdk(usedBy: string): Promise<LambdaSdk> {
  return loadPeer('@aws-sdk/client-lambda', usedBy, () => import('@aws-sdk/client-lambda'));
}

/** Loads `@aws-sdk/client-cloudwatch-logs`, or throws MissingPeerDependencyError naming it. */
export function loadLogsSdk(usedBy: string): Promise<LogsSdk> {
  return loadPeer('@aws-sdk/client-cloudwatch-logs', usedBy, () => import('@aws-sdk/client-cloudwatch-logs'));
}

/** Loads `@aws-sdk/client-cloudwatch`, or throws MissingPeerDependencyError naming it. */
export function loadCloudWatchSdk(usedBy: string): Promise<CloudWatchSdk> {
  return loadPeer('@aws-sdk/client-cloudwatch', usedBy, () => import('@aws-sdk/client-cloudwatch'));
}
