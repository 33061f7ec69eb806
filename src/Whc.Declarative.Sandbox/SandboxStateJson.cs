using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whc.Declarative.Sandbox;

/// <summary>
/// The sandbox's inventory (its data file, the admin read, deep copies) through source-generated JSON: no reflection
/// over our own types, so the native executable's embedded sandbox runs the same code.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(SandboxState))]
internal sealed partial class SandboxStateJson : JsonSerializerContext;

/// <summary>
/// The admin API's fault configuration and request log, source-generated for the same reason; an unknown member in a
/// posted fault configuration is refused, not ignored.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(FaultConfig))]
[JsonSerializable(typeof(FaultConfigBody))]
[JsonSerializable(typeof(IReadOnlyList<RequestLogEntry>))]
internal sealed partial class SandboxAdminJson : JsonSerializerContext;
