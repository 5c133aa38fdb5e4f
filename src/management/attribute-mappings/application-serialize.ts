/** PingOne's `ApplicationAttributeMapping` response, with its `_links`. */
import type { ApplicationAttributeRecord } from '../../store/types.js';

export function applicationAttributesHref(apiBase: string, environmentId: string, applicationId: string): string {
  return `${apiBase.replace(/\/+$/, '')}/environments/${environmentId}/applications/${applicationId}/attributes`;
}

export function toApplicationAttributeResponse(a: ApplicationAttributeRecord, apiBase: string): Record<string, unknown> {
  const collection = applicationAttributesHref(apiBase, a.environmentId, a.applicationId);
  const body: Record<string, unknown> = {
    _links: {
      self: { href: `${collection}/${a.id}` },
      application: { href: collection.slice(0, -'/attributes'.length) },
    },
    id: a.id,
    environment: { id: a.environmentId },
    application: { id: a.applicationId },
    name: a.name,
    value: a.settings.value,
    required: a.settings.required,
    mappingType: a.settings.mappingType,
    idToken: a.settings.idToken,
    userInfo: a.settings.userInfo,
  };
  if (a.settings.oidcScopes !== undefined) body.oidcScopes = [...a.settings.oidcScopes];
  body.createdAt = a.createdAt;
  body.updatedAt = a.updatedAt;
  return body;
}
