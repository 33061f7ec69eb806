using System.Reflection;

namespace Whc.Declarative.Cli;

/// <summary>whcctl's version and the commit it was built from (stamped by the build from git, "unknown" otherwise).</summary>
public static class VersionInfo
{
    public static string Version { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string Commit { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "GitCommit")?.Value ?? "unknown";
}
