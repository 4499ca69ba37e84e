import type { Handler } from './context.js';
import { generatePassword } from '../domain/password.js';

export const GetRandomPassword = (async (input, ctx) => ({
  RandomPassword: generatePassword(input, ctx.random),
})) satisfies Handler<'GetRandomPassword'>;
