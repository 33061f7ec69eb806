using Whc.Declarative.Core.Diagnostics;

namespace Whc.Declarative.Core.Tests;

/// <summary>
/// Issue 26: the templates of the outer projects (CLI, engine, client, state) whose situation no quick test reaches
/// (a lost connection mid-settle, a file that appears during an import, a cancelled run, a bug), each pinned against
/// the words its call site built before the move, with the same arguments. The situations a test can reach are pinned
/// through the real code instead (CliMessageWordingTests, ConfigurationWordingTests, PlanFileWordingTests and others).
/// </summary>
public class OuterTemplateWordingTests
{
    public static TheoryData<string, string, string> Wordings() => new()
    {
        {
            DiagnosticCatalog.SettleFailedRead.Message("acme", "BT failed (503)"), "WHC4052",
            "acme: the final read of BT failed (BT failed (503)); state is correct but may lack ids a later plan will read"
        },
        {
            DiagnosticCatalog.MoveConflictCompanyBothInState.Message("old", "new"), "WHC3040",
            "moved: company/old → company/new cannot be applied: state holds both (of different histories); see 'whcctl state list', and 'whcctl state rm' the one BT no longer holds, or remove the entry"
        },
        { DiagnosticCatalog.InternalErrorUnexpected.Message("NullReferenceException", "Object reference not set"), "WHC6002", "NullReferenceException: Object reference not set" },
        { DiagnosticCatalog.ApplyCancelledByUser.Message, "WHC4055", "cancelled; state holds every result recorded so far, and the next run continues from there" },
        { DiagnosticCatalog.RecordingCannotWrite.Message("run.har is a directory"), "WHC4030", "--record: run.har is a directory" },
        { DiagnosticCatalog.RecordingWriteFailed.Message("run.har", "disk full"), "WHC4030", "--record 'run.har' could not be written: disk full" },
        { DiagnosticCatalog.RecordingUnreadable.Message("a.har", "no such file"), "WHC4031", "'a.har' cannot be read: no such file" },
        { DiagnosticCatalog.RecordingNotReplayable.Message("a.har", "entry 2:\nbad"), "WHC4031", Diagnostic.OneLine("'a.har' cannot be replayed: entry 2:\nbad") },
        {
            DiagnosticCatalog.LocalFileManifestAppeared.Message("/w/acme.yaml"), "WHC4056",
            "--write-manifest: /w/acme.yaml already exists (it appeared during the import) and was kept, not overwritten; the company is imported into state all the same"
        },
        { DiagnosticCatalog.OptionsConflictAllWithPaths.Message, "WHC3014", "--all takes no manifest PATH: it writes the manifests (--write-manifests DIR)" },
        {
            DiagnosticCatalog.ApiContractRoutePlainHttp.Message("readOrder", "http://orders.invalid/orders/x"), "WHC4017",
            "contract route 'readOrder' goes to 'http://orders.invalid/orders/x' over plain http: calls leave loopback only over https"
        },
        { DiagnosticCatalog.ApiCallRefused.Message("GET readCompany", "origin https://x.invalid:443 is not allowed"), "WHC4018", "GET readCompany: origin https://x.invalid:443 is not allowed" },
        { DiagnosticCatalog.ContractFileUnreadable.Message("it is a directory"), "WHC4006", "cannot read the file: it is a directory" },
        { DiagnosticCatalog.ApiRoutesFileUnreadable.Message("it is a directory"), "WHC4003", "cannot read the file: it is a directory" },
        {
            DiagnosticCatalog.DestroyNotAllowedCeases.Message(["a/user/1", "a/user/2", "a/user/3", "a/user/4", "a/user/5", "a/user/6"]), "WHC4053",
            "the plan ceases 6 resources (a/user/1, a/user/2, a/user/3, a/user/4, a/user/5, …); re-run with --allow-destroy if that is intended"
        },
    };

    [Theory]
    [MemberData(nameof(Wordings))]
    public void Should_word_the_message_as_its_call_site_did(string message, string code, string expected)
    {
        message.Should().Be(expected, code);
    }

    [Fact]
    public void Should_keep_each_template_on_the_code_its_call_site_used()
    {
        new (DiagnosticDescriptor Descriptor, string Code)[]
        {
            (DiagnosticCatalog.SettleFailedRead.Descriptor, "WHC4052"),
            (DiagnosticCatalog.MoveConflictCompanyBothInState.Descriptor, "WHC3040"),
            (DiagnosticCatalog.InternalErrorUnexpected.Descriptor, "WHC6002"),
            (DiagnosticCatalog.ApplyCancelledByUser.Descriptor, "WHC4055"),
            (DiagnosticCatalog.RecordingCannotWrite.Descriptor, "WHC4030"),
            (DiagnosticCatalog.RecordingNotReplayable.Descriptor, "WHC4031"),
            (DiagnosticCatalog.LocalFileManifestAppeared.Descriptor, "WHC4056"),
            (DiagnosticCatalog.ApiContractRoutePlainHttp.Descriptor, "WHC4017"),
            (DiagnosticCatalog.ApiCallRefused.Descriptor, "WHC4018"),
            (DiagnosticCatalog.ContractFileUnreadable.Descriptor, "WHC4006"),
            (DiagnosticCatalog.ApiRoutesFileUnreadable.Descriptor, "WHC4003"),
        }.Should().OnlyContain(t => t.Descriptor.Code == t.Code);
    }
}
