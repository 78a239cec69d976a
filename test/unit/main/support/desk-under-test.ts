import { DeskServices } from '../../../../src/main/desk-services';
import type { KeyProvider } from '../../../../src/main/services/telephony/KeyProvider';
import type { MethodArgs, MethodName, MethodResult } from '../../../../src/shared/contract';
import { DeskError } from '../../../../src/shared/errors';
import { NodeDesktop } from '../../../harness/node-desktop';
import { createTestKeyProvider } from '../../../harness/test-key-provider';

/**
 * A desk's main-process services under Node, pointed at a gateway on loopback: what the Electron
 * main process runs, with the Electron-only adapters swapped for Node ones. Not started.
 */
export function deskServices(options: {
  gatewayUrl: string;
  dataDir: string;
  keys?: KeyProvider;
}): DeskServices {
  return new DeskServices({
    dataDir: options.dataDir,
    appInfo: { version: '0', platform: 'test', host: 'harness' },
    defaultLanguage: 'en',
    defaultGatewayUrl: options.gatewayUrl,
    demoGatewayUrl: options.gatewayUrl,
    desktop: new NodeDesktop(),
    keyProvider: options.keys ?? createTestKeyProvider(),
  });
}

/** One contract call through main's dispatch (argument validation included), as the renderer makes it. */
export async function callDesk<M extends MethodName>(
  services: DeskServices,
  method: M,
  args: MethodArgs<M>,
): Promise<MethodResult<M>> {
  const envelope = await services.dispatch(method, args);
  if (!envelope.ok) throw DeskError.from(envelope.error);
  return envelope.value as MethodResult<M>;
}
