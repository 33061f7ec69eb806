using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Whc.Declarative.Files;

/// <summary>What a path names, told before anything is opened: opening a FIFO for reading blocks until a writer comes.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Unreadable,
}

/// <summary>
/// Tells the <see cref="FileKind"/> of a path. .NET has no public API for it on Unix (its FileAttributes say Normal for a
/// FIFO, a socket or /dev/zero alike), so this asks the runtime's own stat shim, the one FileInfo uses; only the
/// leading mode field of its status record is read.
/// </summary>
public static partial class FileKinds
{
    private const int TypeMask = 0xF000;

    /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/>, of what its links lead to.</summary>
    public static (FileKind Kind, string? Error) Of(string path, bool followLinks)
    {
        if (OperatingSystem.IsWindows())
        {
            return OfWindowsPath(path, followLinks);
        }

        var result = followLinks ? Stat(path, out var status) : LStat(path, out status);
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 // ENOENT, ENOTDIR: the same numbers on Linux and macOS
                ? (FileKind.Missing, null)
                : (FileKind.Unreadable, Marshal.GetPInvokeErrorMessage(errno));
        }

        var kind = KindOf(status.Mode);
        return (kind, kind == FileKind.Unreadable ? "the file system reports an unknown kind of file" : null);
    }

    private static FileKind KindOf(int mode) =>
        (mode & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Unreadable,
        };

    /// <summary>
    /// The kind of the file <paramref name="handle"/> has open: what was opened, whatever the path names by now (it may
    /// have been swapped for a device between the look and the open).
    /// </summary>
    public static FileKind Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (OperatingSystem.IsWindows())
        {
            // Windows opens no FIFO or device through a file path a user types in the way Unix does; the path check stands.
            return FileKind.Regular;
        }

        return FStat(handle, out var status) != 0 ? FileKind.Unreadable : KindOf(status.Mode);
    }

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Directory => "a directory",
        _ => "not a regular file",
    };

    private static (FileKind, string?) OfWindowsPath(string path, bool followLinks)
    {
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists)
        {
            info = new DirectoryInfo(path);
        }

        if (!info.Exists && info.LinkTarget is null)
        {
            return (FileKind.Missing, null);
        }

        if (info.LinkTarget is not null)
        {
            if (!followLinks)
            {
                return (FileKind.SymbolicLink, null);
            }

            try
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }
            catch (IOException exception)
            {
                return (FileKind.Unreadable, exception.Message);
            }

            if (!info.Exists)
            {
                return (FileKind.Missing, null);
            }
        }

        return info.Attributes.HasFlag(FileAttributes.Directory) ? (FileKind.Directory, null)
            : info.Attributes.HasFlag(FileAttributes.Device) ? (FileKind.CharacterDevice, null)
            : (FileKind.Regular, null);
    }

    /// <summary>The start of the runtime's FileStatus record (pal_io.h); the record is padded for the fields after Mode.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, out FileStatus status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, out FileStatus status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static partial int FStat(SafeHandle fd, out FileStatus status);
}
