/**
 * A one-environment configuration document holding the resource families that joined the
 * format after the first ones (README, "Declarative configuration"): the user schema's custom
 * attributes and a user holding a value of one. Shared by the feature test and the JSON Schema
 * check.
 */
export const ENV = '7a2e3b40-0000-4000-8000-000000000001';
export const BADGE = '7a2e3b40-0000-4000-8000-0000000000a1';
export const NICKNAMES = '7a2e3b40-0000-4000-8000-0000000000a2';
export const BOB = '7a2e3b40-0000-4000-8000-0000000000b1';

export type Doc = { environments: any[] };

export function familiesDocument(): Doc {
  return {
    environments: [
      {
        id: ENV,
        name: 'Families',
        type: 'SANDBOX',
        region: 'NA',
        schemas: [
          {
            name: 'User',
            attributes: [
              { id: BADGE, name: 'badge', displayName: 'Badge', type: 'STRING', enabled: true, unique: true, enumeratedValues: [{ value: 'gold' }, { value: 'silver' }] },
              { id: NICKNAMES, name: 'nicknames', type: 'STRING', enabled: true, multiValued: true },
            ],
          },
        ],
        users: [{ id: BOB, username: 'bob', email: 'bob@example.com', badge: 'gold', nicknames: ['Bobby'] }],
      },
    ],
  };
}
