using System;
using System.Collections.Generic;
using DealRisk.Plugins.Schema;
using DealRisk.Risk;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace DealRisk.Plugins
{
    /// <summary>
    /// PreOperation Update of dr_riskalert, filtered on dr_response: records what the manager did about the alert.
    /// Only the recipient or a manager above them may respond; the response's time and author are the suite's to write;
    /// a dismissal needs a note and resolves the alert; accepting the risk approves it on the deal in the manager's own
    /// name (so the approval rules of the opportunity apply). The suite's own alert updates never set dr_response.
    /// </summary>
    public sealed class AlertResponsePlugin : PluginBase
    {
        public const string PreImageAlias = "PreImage";

        /// <summary>How far up the management chain a responder is looked for.</summary>
        private const int MaxChain = 10;

        public AlertResponsePlugin(string unsecureConfiguration, string secureConfiguration)
            : base(typeof(AlertResponsePlugin), unsecureConfiguration, secureConfiguration)
        {
        }

        protected override void ExecuteDataversePlugin(ILocalPluginContext local)
        {
            var context = local.PluginExecutionContext;
            if (!(context.InputParameters.TryGetValue("Target", out var t) && t is Entity target) || !target.Contains(RiskAlert.Response)) return;
            var response = OptionSets.ResponseOf(target.GetAttributeValue<OptionSetValue>(RiskAlert.Response)?.Value);
            // The time and author of a response are the suite's to write.
            target.Attributes.Remove(RiskAlert.RespondedOn);
            target.Attributes.Remove(RiskAlert.RespondedBy);
            if (response == null)
            {
                local.Trace("The response was cleared.");
                return;
            }

            context.PreEntityImages.TryGetValue(PreImageAlias, out var before);
            before ??= local.SystemService.Retrieve(RiskAlert.EntityName, target.Id,
                new ColumnSet(RiskAlert.RecipientId, RiskAlert.OpportunityId, RiskAlert.Status, RiskAlert.AcknowledgedOn));
            var recipient = before.GetAttributeValue<EntityReference>(RiskAlert.RecipientId);
            var actor = context.InitiatingUserId;
            var note = target.Contains(RiskAlert.ResponseNote) ? target.GetAttributeValue<string>(RiskAlert.ResponseNote) : null;
            var chain = recipient == null || recipient.Id == actor ? new List<Guid>() : ChainAbove(local.SystemService, recipient.Id, actor);
            var refusal = AlertResponseRules.Refusal(actor, recipient?.Id, () => recipient?.Name ?? UserName(local.SystemService, recipient), chain, response.Value, note);
            if (refusal != null) throw new InvalidPluginExecutionException(refusal);

            var now = context.OperationCreatedOn == default ? DateTime.UtcNow : context.OperationCreatedOn;
            target[RiskAlert.RespondedOn] = now;
            target[RiskAlert.RespondedBy] = new EntityReference(SystemUser.EntityName, actor);
            var status = OptionSets.AlertStatusOf(before.GetAttributeValue<OptionSetValue>(RiskAlert.Status)?.Value);
            var after = AlertResponseRules.StatusAfter(response.Value, status);
            if (after != status) target[RiskAlert.Status] = new OptionSetValue(OptionSets.AlertStatusValue(after));
            if (before.GetAttributeValue<DateTime?>(RiskAlert.AcknowledgedOn) == null) target[RiskAlert.AcknowledgedOn] = now;
            if (response == AlertResponse.Dismissed)
            {
                target[RiskAlert.ResolvedOn] = now;
                target[RiskAlert.Resolution] = ColumnLimits.AlertResolution.Fit("Dismissed: " + note!.Trim());
            }

            local.Trace($"Response '{AlertResponseRules.Label(response.Value)}' recorded by {actor}.");
            if (AlertResponseRules.CoachingLogged(response.Value) is { } kind && before.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId) is { } coached)
                LogCoaching(local, actor, coached, kind, target.GetAttributeValue<int?>(RiskAlert.ResponseMinutes), note, now, response.Value);
            if (response == AlertResponse.AcceptedRisk && before.GetAttributeValue<EntityReference>(RiskAlert.OpportunityId) is { } deal)
            {
                // In the manager's own name: the opportunity's approval rules refuse an approval of one's own deal.
                local.InitiatingUserService.Update(new Entity(Opportunity.EntityName, deal.Id)
                {
                    [Opportunity.RiskApprovedBy] = new EntityReference(SystemUser.EntityName, actor),
                });
            }
        }

        /// <summary>
        /// Records the coaching as an activity with the deal's owner, in the manager's own name (so their role must let them
        /// record coaching for that rep), owned by the rep so the rep sees it: one read of the deal's owner and one create.
        /// </summary>
        private static void LogCoaching(ILocalPluginContext local, Guid actor, EntityReference deal, CoachingKind kind, int? minutes, string? note, DateTime now, AlertResponse response)
        {
            var owner = local.SystemService.Retrieve(Opportunity.EntityName, deal.Id, new ColumnSet(Opportunity.OwnerId, Opportunity.Name));
            var rep = owner.GetAttributeValue<EntityReference>(Opportunity.OwnerId);
            if (rep == null || rep.LogicalName != SystemUser.EntityName || rep.Id == actor) return;
            var session = new Entity(CoachingSession.EntityName)
            {
                [CoachingSession.Subject] = ColumnLimits.CoachingSubject.Fit($"{AlertResponseRules.Label(response)}: {owner.GetAttributeValue<string>(Opportunity.Name)}"),
                [CoachingSession.Kind] = new OptionSetValue(OptionSets.Prefix + (int)kind),
                [CoachingSession.HeldOn] = now,
                [CoachingSession.RepId] = new EntityReference(SystemUser.EntityName, rep.Id),
                [CoachingSession.OpportunityId] = new EntityReference(Opportunity.EntityName, deal.Id),
                [CoachingSession.OwnerId] = new EntityReference(SystemUser.EntityName, rep.Id),
            };
            if (minutes is int m && m > 0) session[CoachingSession.DurationMinutes] = m;
            if (!string.IsNullOrWhiteSpace(note)) session[CoachingSession.Description] = ColumnLimits.CoachingDescription.Fit(note!.Trim());
            local.InitiatingUserService.Create(session);
        }

        /// <summary>The recipient's managers upwards, stopping at the actor (found) or the top; bounded, one read per level.</summary>
        private static List<Guid> ChainAbove(IOrganizationService service, Guid recipient, Guid actor)
        {
            var chain = new List<Guid>();
            var current = recipient;
            for (var i = 0; i < MaxChain; i++)
            {
                var manager = service.Retrieve(SystemUser.EntityName, current, new ColumnSet(SystemUser.ParentSystemUserId)).GetAttributeValue<EntityReference>(SystemUser.ParentSystemUserId);
                if (manager == null || chain.Contains(manager.Id)) break;
                chain.Add(manager.Id);
                if (manager.Id == actor) break;
                current = manager.Id;
            }

            return chain;
        }

        private static string UserName(IOrganizationService service, EntityReference? user) =>
            user == null ? "" : service.Retrieve(SystemUser.EntityName, user.Id, new ColumnSet(SystemUser.FullName)).GetAttributeValue<string>(SystemUser.FullName) ?? user.Id.ToString();
    }
}
