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
