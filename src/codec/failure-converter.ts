// With the codec on, failure messages and stack traces travel encoded like payloads: an item activity's
// failure message is Pleo's message about the expense (account, vendor, amounts), not for plain history.
// Loaded by path (the SDK's convention) so workflows and activities use the same converter.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
