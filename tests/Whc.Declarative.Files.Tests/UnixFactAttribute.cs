namespace Whc.Declarative.Files.Tests;

/// <summary>A test of Unix file kinds (FIFOs, sockets, devices, links): skipped on Windows, which has none.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file kinds only";
        }
    }
}
