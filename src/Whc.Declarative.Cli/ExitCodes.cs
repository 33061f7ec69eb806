namespace Whc.Declarative.Cli;

/// <summary>whcctl's exit codes, Terraform's contract.</summary>
public static class ExitCodes
{
    /// <summary>Success; with --detailed-exitcode, success with no changes.</summary>
    public const int Success = 0;

    /// <summary>An error: bad input, a failed API call, a refused plan, a lock not obtained.</summary>
    public const int Error = 1;

    /// <summary>With --detailed-exitcode: success, and the plan has changes (or drift was found).</summary>
    public const int Changes = 2;
}
