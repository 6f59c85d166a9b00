package mediatype

// byExt maps lower-case filename extensions to mimetypes. It is a fixed
// table (not mime.TypeByExtension) so results do not depend on the host's
// mime.types files.
var byExt = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
	".webp": "image/webp", ".gif": "image/gif", ".heic": "image/heic",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".3gp": "video/3gpp",
	".mov": "video/quicktime", ".webm": "video/webm",
	".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": VoiceNote,
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac",
	".amr": "audio/amr", ".wav": "audio/wav",
	".pdf": "application/pdf", ".txt": "text/plain", ".csv": "text/csv",
	".rtf": "application/rtf", ".json": "application/json", ".xml": "application/xml",
	".zip": "application/zip", ".vcf": "text/vcard",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
}

// extOf maps base mimetypes to the extension files of that type usually
// have; where several extensions share a type, the usual one.
var extOf = func() map[string]string {
	m := map[string]string{}
	for ext, mt := range byExt {
		base, _, _ := parse(mt)
		if prev, ok := m[base]; !ok || preferred[ext] || (!preferred[prev] && ext < prev) {
			m[base] = ext
		}
	}
	return m
}()

// preferred breaks ties in extOf.
var preferred = map[string]bool{".jpg": true, ".mp4": true, ".ogg": true}
