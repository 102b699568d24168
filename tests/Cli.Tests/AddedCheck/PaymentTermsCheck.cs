using System;
using System.Collections.Generic;
using DealRisk.Risk;

namespace DealRisk.Cli.Tests.AddedCheck
{
    /// <summary>
    /// A check the suite does not ship, written only here: it stands for the next check someone adds. It flags the
    /// Northwind deal of the sample org, whose customer asks for 120-day payment terms nobody in finance reviewed.
    /// </summary>
    public sealed class PaymentTermsCheck : DealCheck
    {
        public const string Code = "PAYMENT_TERMS_UNREVIEWED";
        public const string Reason = "Payment terms of 120 days have not been reviewed by finance.";

        public PaymentTermsCheck() : base("Payment terms") { }

        public override RiskLevel Evaluate(CheckRun run, List<RiskFinding> findings)
        {
            if (!run.Facts.Name.StartsWith("Northwind", StringComparison.Ordinal)) return RiskLevel.Low;
            findings.Add(new RiskFinding(Name, Code, RiskLevel.High, Reason));
            return RiskLevel.High;
        }
    }
}
