/**
 * The organisation's monthly API quota [D THROTTLE, EXEMPT]: a standard-edition organisation may make 5000 metered
 * calls a calendar month; once they are used up every metered API answers 90020 until the month turns. Tokens and
 * contacts are exempt. `monthly_call_quota: 0` (the sandbox's default) turns it off.
 * Returns the count to keep (with this call added when admitted).
 */
export function admitMetered(usedThisMonth: number, quota: number): { admitted: boolean; used: number } {
  if (quota <= 0) return { admitted: true, used: usedThisMonth };
  if (usedThisMonth >= quota) return { admitted: false, used: usedThisMonth };
  return { admitted: true, used: usedThisMonth + 1 };
}

/** DingTalk's legacy answer (new API: Forbidden.AccessDenied.ApiCountLimitForOrg). */
export const QUOTA_USED_UP = { errcode: 90020, errmsg: '企业调用接口总次数已超过本月额度上限 (monthly API quota used up)' } as const;
