using System.Runtime.InteropServices;

namespace Whc.Declarative.Manifests.Validation;

/// <summary>
/// The form free-text identifiers (usernames, site names, location codes, number block names) are compared in for
/// uniqueness: NFKC, so compatibility look-alikes (ｊａｎｅ and jane, ﬁ and fi, a composed and a decomposed é) cannot
/// pass as different. Identifiers whose format allows only ASCII (company key, extension, MAC address) need none: NFKC
/// leaves ASCII unchanged.
/// <para>
/// The runtime stays in invariant-globalization mode (string.Normalize leaves non-ASCII text as it is there), because
/// turning ICU on for the whole process would change every default string comparison and sort from ordinal to the
/// user's culture, and so the order of plans. Only the normaliser is taken from the platform's ICU (libicu on Linux,
/// libicucore on macOS, icu.dll on Windows), loaded on first use: ASCII-only manifests never need it.
/// </para>
/// </summary>
internal static class IdentifierNormalisation
{
    private static readonly Lazy<IcuNfkc?> Platform = new(() => IcuNfkc.TryLoad(IcuNfkc.DefaultCandidates()));

    /// <summary>The NFKC form, or null when the text is not ASCII and the platform has no ICU to normalise it.</summary>
    public static string? Nfkc(string value) => System.Text.Ascii.IsValid(value) ? value : Platform.Value?.Normalize(value);
}

/// <summary>ICU's NFKC normaliser through its C API (unorm2_*), found in whichever ICU the platform has.</summary>
internal sealed unsafe class IcuNfkc
{
    private const int BufferOverflowError = 15; // U_BUFFER_OVERFLOW_ERROR

    private readonly nint normaliser;
    private readonly delegate* unmanaged<nint, char*, int, char*, int, int*, int> normalize;

    private IcuNfkc(nint normaliser, delegate* unmanaged<nint, char*, int, char*, int, int*, int> normalize)
    {
        this.normaliser = normaliser;
        this.normalize = normalize;
    }

    /// <summary>Library names to try, newest ICU first. Linux distributions rename every symbol with the major version.</summary>
    public static IEnumerable<(string Library, string Suffix)> DefaultCandidates()
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows 10 1903 and later ship ICU as icu.dll, with plain symbol names.
            yield return ("icu.dll", string.Empty);
            yield return ("icuuc.dll", string.Empty);
            yield break;
        }

        if (OperatingSystem.IsMacOS())
        {
            yield return ("/usr/lib/libicucore.dylib", string.Empty);
            yield break;
        }

        for (var major = 99; major >= 50; major--)
        {
            yield return ($"libicuuc.so.{major}", $"_{major}");
        }
    }

    public static IcuNfkc? TryLoad(IEnumerable<(string Library, string Suffix)> candidates)
    {
        foreach (var (library, suffix) in candidates)
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(handle, "unorm2_getNFKCInstance" + suffix, out var getInstance)
                && NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out var normalize))
            {
                var error = 0;
                var instance = ((delegate* unmanaged<int*, nint>)getInstance)(&error);
                if (error <= 0 && instance != 0)
                {
                    return new IcuNfkc(instance, (delegate* unmanaged<nint, char*, int, char*, int, int*, int>)normalize);
                }
            }

            NativeLibrary.Free(handle);
        }

        return null;
    }

    public string? Normalize(string value)
    {
        // NFKC can grow text (ﬃ is three letters); start with room for that and retry once with the size ICU asks for.
        var capacity = Math.Max(16, value.Length * 3);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var buffer = new char[capacity];
            var error = 0;
            int length;
            fixed (char* source = value)
            fixed (char* destination = buffer)
            {
                length = normalize(normaliser, source, value.Length, destination, capacity, &error);
            }

            if (error == BufferOverflowError)
            {
                capacity = length;
                continue;
            }

            return error > 0 ? null : new string(buffer, 0, length);
        }

        return null;
    }
}
