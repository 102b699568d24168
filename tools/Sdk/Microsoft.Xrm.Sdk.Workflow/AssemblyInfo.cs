using System.Security;

// As on Microsoft's assembly (the details listing): plugins run partially trusted in Dataverse's sandbox.
[assembly: AllowPartiallyTrustedCallers]
[assembly: SecurityRules(SecurityRuleSet.Level1, SkipVerificationInFullTrust = true)]
