import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAction, describeSubject } from "@/components/activity-log/describe-action";
import { listActivityLog } from "@/lib/activity/activity-log";
import { setDbForTesting } from "@/lib/db";
import { acceptInvitation, createInvitation, revokeInvitation } from "@/lib/teams/invitations";
import { changeRole, leaveTeam, removeMember } from "@/lib/teams/members";
import { setPlanDirectly } from "@/lib/teams/teams";
import { makeKey, makeTeam } from "../api-fixtures";
import { testDatabases, type TestDatabase } from "../databases";
import { createUser } from "../fixtures";

// Issue 13 item 7: invitations, members and plan changes are in the activity log, with actor,
// time and IP; owners and admins see every entry, members what they did or what was done to them.
describe.each(testDatabases())("team activity on $name", ({ open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    setDbForTesting(t.db);
  });
  afterAll(async () => {
    setDbForTesting(undefined);
    await t?.dispose();
  });

  it("records every team change with actor, time and IP; members see only their own", async () => {
    const team = await makeTeam(t.db, "pro");
    const ownerIp = "198.51.100.1";
    const stamp = Date.now();
    const aliceEmail = `alice-${stamp}@example.com`;
    const bobEmail = `bob-${stamp}@example.com`;
    const carolEmail = `carol-${stamp}@example.com`;
    const alice = await createUser(t.db, aliceEmail);
    const bob = await createUser(t.db, bobEmail);

    const invA = await createInvitation(team.ownerId, team.teamId, aliceEmail, "member", ownerIp);
    const invB = await createInvitation(team.ownerId, team.teamId, bobEmail, "member", ownerIp);
    const invC = await createInvitation(team.ownerId, team.teamId, carolEmail, "admin", ownerIp);
    await revokeInvitation(team.ownerId, team.teamId, invC.id, ownerIp);
    await acceptInvitation(alice, invA.token, "198.51.100.2");
    await acceptInvitation(bob, invB.token, "198.51.100.3");
    await changeRole(team.ownerId, team.teamId, alice, "admin", ownerIp);
    await changeRole(team.ownerId, team.teamId, alice, "member", ownerIp);
    await setPlanDirectly(team.ownerId, team.teamId, "business", ownerIp);
    await makeKey({ ...team, actor: { userId: bob, teamId: team.teamId, ip: "198.51.100.3" } }, { name: "Bob's key" });
    await leaveTeam(bob, team.teamId, "198.51.100.3");
    await removeMember(team.ownerId, team.teamId, alice, ownerIp);

    const all = (await listActivityLog({ userId: team.ownerId, teamId: team.teamId }, { limit: 100 })).entries.reverse();
    const lines = all.map((e) => `${describeAction(e)} | ${describeSubject(e)} | ${e.actor_email ?? "-"} | ${e.ip}`);
    const owner = all[0]!.actor_email;
    expect(lines).toEqual([
      `Invited ${aliceEmail} as member | ${aliceEmail} | ${owner} | ${ownerIp}`,
      `Invited ${bobEmail} as member | ${bobEmail} | ${owner} | ${ownerIp}`,
      `Invited ${carolEmail} as admin | ${carolEmail} | ${owner} | ${ownerIp}`,
      `Revoked the invitation to ${carolEmail} | ${carolEmail} | ${owner} | ${ownerIp}`,
      // Alice and Bob have left by now: profiles RLS hides their emails as actors ("-"), the
      // subject column keeps the email copied when the entry was written.
      `Joined the team as member (accepted an invitation) | ${aliceEmail} | - | 198.51.100.2`,
      `Joined the team as member (accepted an invitation) | ${bobEmail} | - | 198.51.100.3`,
      `Role changed from member to admin | ${aliceEmail} | ${owner} | ${ownerIp}`,
      `Role changed from admin to member | ${aliceEmail} | ${owner} | ${ownerIp}`,
      `Plan changed from Pro to Business | Team | ${owner} | ${ownerIp}`,
      `Created | Bob's key | - | 198.51.100.3`,
      `Left the team | ${bobEmail} | - | 198.51.100.3`,
      `Removed from the team | ${aliceEmail} | ${owner} | ${ownerIp}`,
    ]);
    for (const e of all) expect(Date.now() - new Date(e.created_at).getTime()).toBeLessThan(120_000);

    // A member sees what they did and what was done to them, not the rest.
    const dave = await createUser(t.db, `dave-${stamp}@example.com`);
    const invD = await createInvitation(team.ownerId, team.teamId, `dave-${stamp}@example.com`, "member", ownerIp);
    await acceptInvitation(dave, invD.token, "198.51.100.4");
    await changeRole(team.ownerId, team.teamId, dave, "admin", ownerIp);
    await changeRole(team.ownerId, team.teamId, dave, "member", ownerIp);
    const seen = (await listActivityLog({ userId: dave, teamId: team.teamId }, { limit: 100 })).entries.map((e) => describeAction(e));
    expect(seen).toEqual(["Role changed from admin to member", "Role changed from member to admin", "Joined the team as member (accepted an invitation)"]);
  });
});
