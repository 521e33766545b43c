import type { Metadata } from "next";
import { InviteForm } from "@/components/team/invite-form";
import { LeaveTeamButton, RemoveMemberButton, RevokeInvitationButton, RoleSelect } from "@/components/team/member-actions";
import { TeamSettingsForm } from "@/components/team/team-settings-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireTeamContext } from "@/lib/auth/require";
import { formatDate } from "@/lib/format";
import { listPendingInvitations } from "@/lib/teams/invitations";
import { listMembers } from "@/lib/teams/members";

export const metadata: Metadata = { title: "Team" };

const ROLE_TONE = { owner: "info", admin: "success", member: "neutral" } as const;

export default async function TeamPage() {
  const { user, team } = await requireTeamContext();
  const isAdmin = team.role === "owner" || team.role === "admin";
  const [members, invitations] = await Promise.all([
    listMembers(user.id, team.id),
    isAdmin ? listPendingInvitations(user.id, team.id) : Promise.resolve([]),
  ]);

  return (
    <div className="space-y-8">
      <PageHeader title="Team" description={`${team.name} · ${members.length} member${members.length === 1 ? "" : "s"}`} />

      <Card>
        <CardHeader title="Members" description="Owners handle billing and the plan; admins manage members and every key; members manage their own keys." />
        <CardBody className="p-0">
          <Table caption="Team members">
            <THead>
              <TR>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>Joined</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {members.map((m) => {
                const manageable = isAdmin && m.role !== "owner" && m.user_id !== user.id;
                return (
                  <TR key={m.user_id} data-testid="member-row">
                    <TD>
                      {m.email}
                      {m.user_id === user.id ? <span className="ml-2 text-xs text-zinc-500">(you)</span> : null}
                    </TD>
                    <TD>
                      {manageable && m.role !== "owner" ? (
                        <RoleSelect userId={m.user_id} email={m.email} role={m.role as "admin" | "member"} />
                      ) : (
                        <Badge tone={ROLE_TONE[m.role]}>{m.role}</Badge>
                      )}
                    </TD>
                    <TD>{formatDate(m.joined_at)}</TD>
                    <TD className="text-right">{manageable ? <RemoveMemberButton userId={m.user_id} email={m.email} /> : null}</TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </CardBody>
      </Card>

      {isAdmin ? (
        <Card>
          <CardHeader title="Invite someone" description="Creates a single-use link that expires in 7 days. The invitee signs in or signs up with that email to join." />
          <CardBody className="space-y-6">
            <InviteForm />
            {invitations.length > 0 ? (
              <Table caption="Pending invitations">
                <THead>
                  <TR>
                    <TH>Pending invitation</TH>
                    <TH>Role</TH>
                    <TH>Expires</TH>
                    <TH>
                      <span className="sr-only">Actions</span>
                    </TH>
                  </TR>
                </THead>
                <TBody>
                  {invitations.map((i) => (
                    <TR key={i.id}>
                      <TD>{i.email}</TD>
                      <TD>{i.role}</TD>
                      <TD>{formatDate(i.expires_at)}</TD>
                      <TD className="text-right">
                        <RevokeInvitationButton invitationId={i.id} email={i.email} />
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            ) : (
              <p className="text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
            )}
          </CardBody>
        </Card>
      ) : null}

      <Card>
        <CardHeader title="Team settings" />
        <CardBody className="space-y-6">
          <TeamSettingsForm teamName={team.name} canRename={team.role === "owner"} />
          {team.role !== "owner" ? (
            <div className="flex items-center justify-between gap-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
              <p className="text-sm text-zinc-600 dark:text-zinc-400">Leave this team. Your keys in it are disabled.</p>
              <LeaveTeamButton teamName={team.name} />
            </div>
          ) : null}
        </CardBody>
      </Card>
    </div>
  );
}
