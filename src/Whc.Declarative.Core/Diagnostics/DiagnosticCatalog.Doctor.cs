using System.Globalization;

namespace Whc.Declarative.Core.Diagnostics;

/// <summary>WHC4021: <c>whcctl doctor</c>'s one-line diagnosis, when every check that failed failed for one cause.</summary>
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor DoctorOneCause { get; } =
        Error("WHC4021", "every check doctor saw fail got the same refusal from the endpoint: one cause, named once");

    /// <summary>BT's gateway code 51 ("forbidden requester"): the client (developer app) is not bound to the CUG.</summary>
    public static DiagnosticTemplate<string, int, int> DoctorCugForbidden { get; } =
        DoctorOneCause.Template((string cug, int failed, int total) => string.Create(
            CultureInfo.InvariantCulture,
            $"this client may not act for {cug}: {failed} of {total} checks were refused with 403 (code 51, BT's 'forbidden requester'), every route of that reseller. Check --cug (your reseller's CUG id), or ask BT to bind your developer app (WHC_CLIENT_ID) to {cug}"));

    /// <summary>Any other refusal shared by every failing check: its status and BT's code (null when the answer had none).</summary>
    public static DiagnosticTemplate<int, string?, int, int> DoctorSameRefusal { get; } =
        DoctorOneCause.Template((int status, string? code, int failed, int total) => string.Create(
            CultureInfo.InvariantCulture,
            $"{failed} of {total} checks got the same answer, {status}{(code is null ? " without BT's error envelope" : $" (code {code})")}: one cause, not {failed}. {WhatTo(status)}"));

    private static string WhatTo(int status) => status switch
    {
        401 => "The credentials or the token are refused: check WHC_CLIENT_ID and WHC_CLIENT_SECRET for this endpoint",
        403 => "The endpoint forbids these calls to this client: check --cug and the client's rights with BT",
        404 => "The endpoint has none of these routes: check --endpoint, and --routes or --contract if BT's paths differ",
        >= 500 => "The endpoint is failing: try again later, and quote the tracking ids of the rows to BT",
        _ => "See the rows above for the route and BT's words",
    };
}
