import type { Handler } from './context.js';
import { generatePassword, type PasswordOptions } from '../domain/password.js';

export const GetRandomPassword: Handler<PasswordOptions> = async (input, ctx) => ({
  RandomPassword: generatePassword(input, ctx.random),
});
