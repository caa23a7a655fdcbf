using System;
using System.IO;
using System.Text;

namespace NetDsl.IO
{
    /// <summary>
    /// Writes files so that a reader sees either the old content or the new, never a mix: the content goes to a
    /// temporary file in the target's own directory (so the final rename stays on one file system), is flushed to
    /// disk, and only then renamed over the target. A failure at any point leaves the target as it was and
    /// removes the temporary file.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
        public static void Write(string path, Action<Stream> write)
        {
            if (write is null) throw new ArgumentNullException(nameof(write));
            var target = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(target) ?? ".";
            var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                if (File.Exists(target))
                    File.Replace(temporary, target, destinationBackupFileName: null);
                else
                    File.Move(temporary, target);
            }
            finally
            {
                if (File.Exists(temporary))
                    File.Delete(temporary);
            }
        }

        /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>, atomically.</summary>
        public static void WriteAllText(string path, string text) =>
            WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

        /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
        public static void WriteAllBytes(string path, byte[] bytes) =>
            Write(path, stream => stream.Write(bytes, 0, bytes.Length));

        /// <summary>
        /// Fails now, not after the work, when <paramref name="path"/> cannot be written: its directory is missing,
        /// read-only, or the path names a directory. Creates and removes a probe file beside the target; the target
        /// itself is not touched.
        /// </summary>
        /// <exception cref="IOException">The path cannot be written; the message says why.</exception>
        public static void EnsureWritable(string path)
        {
            var target = Path.GetFullPath(path);
            if (Directory.Exists(target))
                throw new IOException($"{path} is a directory, not a file");
            var directory = Path.GetDirectoryName(target) ?? ".";
            if (!Directory.Exists(directory))
                throw new IOException($"the directory {directory} does not exist");
            var probe = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".probe");
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            }
            catch (UnauthorizedAccessException)
            {
                throw new IOException($"the directory {directory} is not writable");
            }
            finally
            {
                if (File.Exists(probe))
                    File.Delete(probe);
            }
        }
    }
}
