package waengine

import "testing"

func TestVCardWithWAID(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"AddsToTypedTEL",
			"BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL;type=CELL:+34 600 00 00 00\nEND:VCARD",
			"BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL;type=CELL;waid=34600000000:+34 600 00 00 00\nEND:VCARD"},
		{"AddsToBareTEL",
			"TEL:+1 (555) 010-9999",
			"TEL;waid=15550109999:+1 (555) 010-9999"},
		{"KeepsExistingWAID",
			"TEL;type=CELL;waid=34600000000:+34 600 00 00 00",
			"TEL;type=CELL;waid=34600000000:+34 600 00 00 00"},
		{"KeepsExistingWAIDAnyCase",
			"TEL;WAID=34600000000:+34600000000",
			"TEL;WAID=34600000000:+34600000000"},
		{"GroupedProperty",
			"item1.TEL;type=CELL:+44 7700 900123\nitem1.X-ABLabel:Mobile",
			"item1.TEL;type=CELL;waid=447700900123:+44 7700 900123\nitem1.X-ABLabel:Mobile"},
		{"LowerCaseName",
			"tel;type=cell:+34600000001",
			"tel;type=cell;waid=34600000001:+34600000001"},
		{"DoubleZeroPrefix",
			"TEL:0034 600 000 002",
			"TEL;waid=34600000002:0034 600 000 002"},
		{"BareDigits",
			"TEL:34600000003",
			"TEL;waid=34600000003:34600000003"},
		{"TelURI",
			"TEL;VALUE=uri;TYPE=cell:tel:+34-600-000-004;ext=12",
			"TEL;VALUE=uri;TYPE=cell;waid=34600000004:tel:+34-600-000-004;ext=12"},
		{"NationalFormUnchanged",
			"TEL;type=CELL:0600 000 000",
			"TEL;type=CELL:0600 000 000"},
		{"TooShortUnchanged",
			"TEL:+34 600",
			"TEL:+34 600"},
		{"TooLongUnchanged",
			"TEL:+1234567890123456",
			"TEL:+1234567890123456"},
		{"NoDigitsUnchanged",
			"TEL:unknown",
			"TEL:unknown"},
		{"OtherPropertiesUnchanged",
			"NOTE:call +34 600 00 00 00\nX-TEL:+34600000000",
			"NOTE:call +34 600 00 00 00\nX-TEL:+34600000000"},
		{"QuotedColonInParam",
			"TEL;X-LABEL=\"a:b\":+34600000005",
			"TEL;X-LABEL=\"a:b\";waid=34600000005:+34600000005"},
		{"CRLFAndSeveralNumbers",
			"BEGIN:VCARD\r\nTEL;type=CELL:+34 600 000 006\r\nTEL;type=WORK;waid=34911111111:+34 911 11 11 11\r\nTEL:+34 600 000 007\r\nEND:VCARD\r\n",
			"BEGIN:VCARD\r\nTEL;type=CELL;waid=34600000006:+34 600 000 006\r\nTEL;type=WORK;waid=34911111111:+34 911 11 11 11\r\nTEL;waid=34600000007:+34 600 000 007\r\nEND:VCARD\r\n"},
		{"Empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := vcardWithWAID(tt.in); got != tt.want {
				t.Errorf("vcardWithWAID(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestVCardName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BEGIN:VCARD\nVERSION:3.0\nN:Doe;Ana\nFN:Ana Doe\nEND:VCARD", "Ana Doe"},
		{"BEGIN:VCARD\r\nFN;CHARSET=UTF-8:Peña\\, José\r\nEND:VCARD", "Peña, José"},
		{"BEGIN:VCARD\nN:Doe;Ana\nEND:VCARD", ""},
		{minimalVCard("Bob; the builder"), "Bob; the builder"},
	}
	for _, tt := range tests {
		if got := vcardName(tt.in); got != tt.want {
			t.Errorf("vcardName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
