using System.Runtime.InteropServices;

namespace NetDsl.Cli;

/// <summary>
/// What a path names once symbolic links are followed: a regular file, a directory, or something else that must
/// not be opened as a source (opening a FIFO blocks until a writer comes; a device never ends).
/// </summary>
internal static partial class FileKind
{
    /// <summary>"regular file", "directory", "FIFO", "character device", ...; null when nothing is there.</summary>
    public static string? Of(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(path))
                return Folder;
            if (!File.Exists(path))
                return null;
            return File.GetAttributes(path).HasFlag(FileAttributes.Device) ? "device" : RegularFile;
        }
        // .NET's own native layer (shipped with every runtime) reports the type bits of stat()'s mode in the
        // portable encoding of POSIX, whatever the platform's struct layout: Flags then Mode lead its FileStatus.
        var status = new byte[256];
        if (Stat(path, status) != 0)
            return null;
        return (BitConverter.ToInt32(status, 4) & 0xF000) switch
        {
            0x8000 => RegularFile,
            0x4000 => Folder,
            0x1000 => "FIFO",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            _ => "special file",
        };
    }

    public const string RegularFile = "regular file";

    public const string Folder = "directory";

    /// <summary>The path with every symbolic link resolved (for finding loops), or its full path when that fails.</summary>
    public static string RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
            return Path.GetFullPath(path);
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
            return Path.GetFullPath(path);
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? Path.GetFullPath(path);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte[] status);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
