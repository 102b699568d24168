using System;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>
    /// What the platform records on a business process flow instance (a table whose primary key is
    /// businessprocessflowinstanceid, such as opportunitysalesprocess) when its active stage is set: the time the stage was
    /// entered, activestagestartedon ("Date and time when current active stage is started", the table reference), unless
    /// the caller gave one. The instance's stage is the only thing that moves: the record the process runs on (its
    /// opportunity's salesstage, stepname, stageid) is left as it is (tests/Emulator.Tests Fidelity/BusinessProcessFlowTests).
    /// </summary>
    internal static class BusinessProcessFlows
    {
        public const string PrimaryKey = "businessprocessflowinstanceid";
        public const string ActiveStageId = "activestageid";
        public const string ActiveStageStartedOn = "activestagestartedon";

        /// <param name="table">The row's table.</param>
        /// <param name="row">The row as it will be stored.</param>
        /// <param name="sent">What the caller sent.</param>
        /// <param name="stored">The row before the update; null on create.</param>
        /// <param name="now">The organization's clock.</param>
        public static void Stamp(TableMetadata table, Entity row, Entity sent, Entity? stored, DateTime now)
        {
            if (table.PrimaryIdAttribute != PrimaryKey || !sent.Contains(ActiveStageId) || sent.Contains(ActiveStageStartedOn)) return;
            var stage = sent.GetAttributeValue<EntityReference>(ActiveStageId)?.Id;
            if (stage == null || (stored != null && stored.GetAttributeValue<EntityReference>(ActiveStageId)?.Id == stage)) return;
            row[ActiveStageStartedOn] = now;
        }
    }
}
